package akkachat.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akkachat.config.ChatSettings;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;
import akkachat.room.RoomHost;

/**
 * Rooms as Cluster Sharding entities: one {@link ChatRoom} per room name in the whole cluster,
 * started on first use and passivated when its last member leaves (automatic idle passivation
 * is off, so a room with members never stops for being quiet). One that starts again after its
 * node was lost takes its members over from the fan-outs of the other nodes.
 */
public final class ShardedRooms {

  public static final EntityTypeKey<ChatRoom.Command> TYPE_KEY =
      EntityTypeKey.create(ChatRoom.Command.class, "ChatRoom");

  private ShardedRooms() {}

  /** Starts sharding for rooms on this node and returns the directory sessions use. */
  public static RoomDirectory init(ActorSystem<?> system, ChatSettings settings,
      ActorRef<RoomRegistry.Command> registry) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(TYPE_KEY, ctx -> ChatRoom.create(ctx.getEntityId(), settings,
            new RoomHost() {
              @Override
              public void membersChanged(String room, ActorRef<ChatRoom.Command> self, int count) {
                registry.tell(new RoomRegistry.MembersChanged(room, self, count));
              }

              @Override
              public void empty(String room, ActorRef<ChatRoom.Command> self) {
                ctx.getShard().tell(new ClusterSharding.Passivate<>(self));
              }

              @Override
              public void tell(String name, ChatRoom.Command command) {
                sharding.entityRefFor(TYPE_KEY, name).tell(command);
              }
            }))
        .withStopMessage(new ChatRoom.Stop()));
    return new RoomDirectory() {
      @Override
      public void tell(String room, ChatRoom.Command command) {
        sharding.entityRefFor(TYPE_KEY, room).tell(command);
      }

      @Override
      public void listRooms(ActorRef<RoomDirectory.RoomList> replyTo) {
        registry.tell(new RoomRegistry.ListRooms(replyTo));
      }
    };
  }
}
