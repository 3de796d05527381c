package akkachat.bench;

import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One bench client talking to a {@link Dialect} without a socket, for tests: it stands in for
 * the {@link IoLoop} and records what the dialect sends, and whether the client got in.
 */
final class Dialogue implements Dialect.Login {
  final Dialect dialect;
  final Client client;
  final List<String> sent = new ArrayList<>();
  boolean ready;
  String failure;

  /** Client {@code index} of the scenario given as bench flags. */
  Dialogue(int index, String... flags) {
    try {
      Plan plan = new Plan(Options.parse(flags));
      this.dialect = plan.dialect;
      this.client = new Client(plan, index);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  void connect() {
    dialect.connected(client, this);
  }

  /** A line from the server while logging in, as the {@link LineHandler} passes it on. */
  void hear(String line) {
    dialect.loginLine(client, line, this);
  }

  String lastSent() {
    return sent.isEmpty() ? null : sent.get(sent.size() - 1);
  }

  /** What the dialect makes of {@code line} once in, read from the middle of a buffer. */
  Dialect.Kind kind(String line, long[] fields) {
    byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return dialect.delivery(b, 2, b.length - 4, fields);
  }

  /** The answer the dialect gives to {@code line}, or null. */
  String answer(String line) {
    byte[] b = ("xx" + line).getBytes(StandardCharsets.UTF_8);
    return dialect.answer(b, 2, b.length - 2);
  }

  @Override
  public void send(Client c, String line) {
    sent.add(line);
  }

  @Override
  public void ready(Client c) {
    ready = true;
    c.state = Client.State.READY;
  }

  @Override
  public void fail(Client c, String reason) {
    failure = reason;
    c.state = Client.State.FAILED;
  }
}
