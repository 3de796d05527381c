package akkachat.server;

import akka.actor.CoordinatedShutdown;

/**
 * Why a node shuts down when one of its listeners stopped accepting connections while it was
 * running: up but shut to newcomers, it is better restarted by its supervisor (exit status 1).
 */
public final class ListenerLost implements CoordinatedShutdown.Reason {
  public static final ListenerLost INSTANCE = new ListenerLost();

  private ListenerLost() {}

  @Override
  public String toString() {
    return "ListenerLost";
  }
}
