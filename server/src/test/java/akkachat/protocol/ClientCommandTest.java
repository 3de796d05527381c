package akkachat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "   ", "\t"})
  void blankLineIsBlank(String line) {
    assertEquals(new ClientCommand.Blank(), ClientCommand.parse(line));
  }

  @Test
  void plainTextIsSaidAsTyped() {
    assertEquals(new ClientCommand.Say("hello this is dog"), ClientCommand.parse("hello this is dog"));
    assertEquals(new ClientCommand.Say("  indented /who"), ClientCommand.parse("  indented /who"));
  }

  @Test
  void doubleSlashSendsTextStartingWithSlash() {
    assertEquals(new ClientCommand.Say("/text"), ClientCommand.parse("//text"));
    assertEquals(new ClientCommand.Say("/"), ClientCommand.parse("//"));
  }

  @Test
  void parsesCommandsWithoutArguments() {
    assertEquals(new ClientCommand.Help(), ClientCommand.parse("/help"));
    assertEquals(new ClientCommand.Who(), ClientCommand.parse("/who"));
    assertEquals(new ClientCommand.Rooms(), ClientCommand.parse("/rooms"));
    assertEquals(new ClientCommand.Quit(), ClientCommand.parse("/quit"));
  }

  @Test
  void commandWordIsCaseInsensitive() {
    assertEquals(new ClientCommand.Help(), ClientCommand.parse("/HELP"));
    assertEquals(new ClientCommand.Quit(), ClientCommand.parse("/Quit"));
  }

  @Test
  void joinTakesRoomArgument() {
    assertEquals(new ClientCommand.Join("dev"), ClientCommand.parse("/join dev"));
    assertEquals(new ClientCommand.Join("#dev"), ClientCommand.parse("/join #dev"));
    assertEquals(new ClientCommand.Join("dev"), ClientCommand.parse("/join   dev  "));
  }

  @Test
  void joinWithoutRoomGivesItsUsage() {
    assertEquals(new ClientCommand.Usage("/join ROOM"), ClientCommand.parse("/join"));
    assertEquals(new ClientCommand.Usage("/join ROOM"), ClientCommand.parse("/join   "));
  }

  @Test
  void msgToOneName() {
    assertEquals(new ClientCommand.Msg(List.of("bob"), "hi there"),
        ClientCommand.parse("/msg bob hi there"));
  }

  @Test
  void msgToSeveralNamesKeepsOrderAndDropsRepeats() {
    assertEquals(new ClientCommand.Msg(List.of("bob", "carol"), "hi"),
        ClientCommand.parse("/msg bob,carol hi"));
    assertEquals(new ClientCommand.Msg(List.of("bob", "carol"), "hi"),
        ClientCommand.parse("/msg bob,,carol,bob, hi"));
  }

  @Test
  void msgKeepsInnerSpacingOfText() {
    assertEquals(new ClientCommand.Msg(List.of("bob"), "a  b"),
        ClientCommand.parse("/msg   bob   a  b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/msg", "/msg ", "/msg bob", "/msg bob   ", "/msg ,, hi"})
  void msgWithMissingArgumentsGivesItsUsage(String line) {
    assertEquals(new ClientCommand.Usage("/msg NAME[,NAME...] TEXT"), ClientCommand.parse(line));
  }

  @Test
  void meTakesTheRestAsAction() {
    assertEquals(new ClientCommand.Me("waves at bob"), ClientCommand.parse("/me waves at bob"));
    assertEquals(new ClientCommand.Me("waves"), ClientCommand.parse("/me    waves"));
  }

  @Test
  void meWithoutTextGivesItsUsage() {
    assertEquals(new ClientCommand.Usage("/me TEXT"), ClientCommand.parse("/me"));
    assertEquals(new ClientCommand.Usage("/me TEXT"), ClientCommand.parse("/me   "));
  }

  @Test
  void nickTakesEverythingAfterTheSpace() {
    assertEquals(new ClientCommand.Nick("alicia"), ClientCommand.parse("/nick alicia"));
    // Validation is the session's job: the raw rest is kept, so a bad name can be reported.
    assertEquals(new ClientCommand.Nick("al ice"), ClientCommand.parse("/nick al ice"));
  }

  @Test
  void nickWithoutNameGivesItsUsage() {
    assertEquals(new ClientCommand.Usage("/nick NAME"), ClientCommand.parse("/nick"));
    assertEquals(new ClientCommand.Usage("/nick NAME"), ClientCommand.parse("/nick "));
  }

  @Test
  void unknownCommandKeepsTheWordAsTyped() {
    assertEquals(new ClientCommand.Unknown("/foo"), ClientCommand.parse("/foo"));
    assertEquals(new ClientCommand.Unknown("/Foo"), ClientCommand.parse("/Foo bar baz"));
    assertEquals(new ClientCommand.Unknown("/quitnow"), ClientCommand.parse("/quitnow"));
    assertEquals(new ClientCommand.Unknown("/"), ClientCommand.parse("/"));
  }
}
