package akkachat.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileLimitTest {

  @Test
  void maxConnectionsStaysWhenTheLimitHasRoomForIt() {
    assertEquals(10_000, FileLimit.connections(10_000, 1_048_576, 13));
  }

  @Test
  void aLowLimitKeepsSixtyFourFilesFreeBesidesTheOnesOpen() {
    assertEquals(1024 - 13 - 64, FileLimit.connections(10_000, 1024, 13));
  }

  @Test
  void aHighLimitKeepsOneInTwentyFree() {
    assertEquals(20_000 - 13 - 1_000, FileLimit.connections(100_000, 20_000, 13));
  }

  @Test
  void noRoomAtAllStillAllowsOneConnection() {
    assertEquals(1, FileLimit.connections(10_000, 50, 40));
  }
}
