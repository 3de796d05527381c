package akkachat.server;

import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akkachat.ops.Traffic;
import akkachat.protocol.Input;

/**
 * Counts the lines a client sends, in its connection's {@link Traffic.Tally} (a stream attribute
 * given per connection; without one, nothing is counted). The same for every transport, after
 * the stage that cuts the client's bytes or frames into lines. Built once and shared.
 */
final class CountInput extends GraphStage<FlowShape<Input, Input>> {

  static final CountInput INSTANCE = new CountInput();

  private final Inlet<Input> in = Inlet.create("CountInput.in");
  private final Outlet<Input> out = Outlet.create("CountInput.out");
  private final FlowShape<Input, Input> shape = FlowShape.of(in, out);

  private CountInput() {}

  @Override
  public FlowShape<Input, Input> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    Traffic.Tally tally = inheritedAttributes.getAttribute(Traffic.Tally.class).orElse(null);
    return new GraphStageLogic(shape) {
      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            if (tally != null) {
              tally.received();
            }
            push(out, grab(in));
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }
        });
      }
    };
  }
}
