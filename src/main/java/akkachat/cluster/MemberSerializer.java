package akkachat.cluster;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.JSerializer;
import akkachat.room.ChatRoom;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The room rosters' members ({@link ChatRoom.Member}) in a few bytes: a version, the name and
 * the two actor refs, as strings. Distributed Data serializes every entry of a roster map
 * whenever the map is written to or gossiped with another node, and read back there; through
 * Jackson that was 16% of a node's CPU while a cluster logged users in (docs/BENCHMARKS.md).
 * Bound in akka-chat-node.conf.
 */
public final class MemberSerializer extends JSerializer {

  /** Akka keeps 0 to 40 for itself; Jackson's are 32 and 33. */
  static final int IDENTIFIER = 6677;
  private static final byte VERSION = 1;

  private final ActorRefResolver refs;

  public MemberSerializer(ExtendedActorSystem system) {
    this.refs = ActorRefResolver.get(Adapter.toTyped(system));
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    if (!(o instanceof ChatRoom.Member m)) {
      throw new IllegalArgumentException("not a room member: " + o.getClass().getName());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(m.name());
      out.writeUTF(refs.toSerializationFormat(m.session()));
      out.writeUTF(refs.toSerializationFormat(m.fanout()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
    return bytes.toByteArray();
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("room member of unknown version " + version);
      }
      return new ChatRoom.Member(in.readUTF(), refs.resolveActorRef(in.readUTF()),
          refs.resolveActorRef(in.readUTF()));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a room member: " + e.getMessage(), e);
    }
  }
}
