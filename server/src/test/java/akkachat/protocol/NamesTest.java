package akkachat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "alice", "Alice_42", "x-y", "_", "-", "ABCDEFGHIJKLMNOPQRSTUVWX"})
  void acceptsOneTo24LettersDigitsUnderscoreOrDash(String name) {
    assertTrue(Names.isValidUsername(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "al ice", "alice!", "a.b", "ali\tce", "é", "ünter", "日本",
      "ABCDEFGHIJKLMNOPQRSTUVWXY", "[alice]", "***", "a/b"})
  void rejectsOtherUsernames(String name) {
    assertFalse(Names.isValidUsername(name), name);
  }

  @Test
  void keyComparesNamesCaseInsensitively() {
    assertEquals(Names.key("Alice"), Names.key("aLICE"));
    assertEquals("alice", Names.key("ALICE"));
    assertFalse(Names.key("alice").equals(Names.key("alicia")));
  }

  @Test
  void roomNameIsLowerCasedAndDropsOneLeadingHash() {
    assertEquals(Optional.of("dev"), Names.roomName("dev"));
    assertEquals(Optional.of("dev"), Names.roomName("#dev"));
    assertEquals(Optional.of("dev"), Names.roomName("#DeV"));
    assertEquals(Optional.of("my_room-2"), Names.roomName("My_Room-2"));
    assertEquals(Optional.of("a".repeat(32)), Names.roomName("a".repeat(32)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "#", "##dev", "dev room", "dév", "dev!", "dev.ops", " dev"})
  void rejectsInvalidRoomNames(String typed) {
    assertEquals(Optional.empty(), Names.roomName(typed), typed);
  }

  @Test
  void rejectsRoomNameLongerThan32() {
    assertEquals(Optional.empty(), Names.roomName("a".repeat(33)));
    assertEquals(Optional.empty(), Names.roomName("#" + "a".repeat(33)));
  }
}
