package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akkachat.config.ChatSettings;
import akkachat.ops.NodeMetrics;
import akkachat.protocol.Lines;
import akkachat.room.RoomDirectory;

/**
 * What every phase of one session works with, from {@link Login} to {@link Session}: the
 * settings, the rooms, this node's fan-out, the client's outbound queue, the session actor's
 * stash and timers, and the node's metrics.
 */
record Link(StashBuffer<Session.Command> stash, TimerScheduler<Session.Command> timers,
    ChatSettings settings, RoomDirectory directory, ActorRef<Fanout.Command> fanout,
    Outbound out, String remote, Lines lines, NodeMetrics metrics) {

  /** One server line to the client. */
  void send(String line) {
    out.send(lines.encode(line));
  }

  /** A prompt, without a line break. */
  void prompt(String prompt) {
    out.send(Lines.raw(prompt));
  }

  /** Sends the last line (if any) and completes the outbound queue after it. */
  void finish(String lastLine) {
    if (lastLine != null) {
      send(lastLine);
    }
    out.close();
  }
}
