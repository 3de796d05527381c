package akkachat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link and image in README.md and docs/*.md names a file inside the repository,
 * and no document points outside it to ../shared: a clone from GitHub has only what is here.
 */
class DocsLinksTest {

  /** The target of a Markdown link or image: {@code ](target)} or {@code ](target "title")}. */
  private static final Pattern LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

  @Test
  void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
    Path root = repositoryRoot();
    List<String> broken = new ArrayList<>();
    for (Path doc : documents(root)) {
      Matcher m = LINK.matcher(Files.readString(doc));
      while (m.find()) {
        String target = m.group(1);
        if (target.isEmpty() || target.matches("(?i)(https?|mailto):.*")) {
          continue;
        }
        int hash = target.indexOf('#');
        String file = hash >= 0 ? target.substring(0, hash) : target;
        if (file.isEmpty()) {
          continue; // an anchor in the same document
        }
        Path resolved = doc.getParent().resolve(file).normalize();
        if (!resolved.startsWith(root) || !Files.exists(resolved)) {
          broken.add(root.relativize(doc) + ": " + target);
        }
      }
    }
    assertTrue(broken.isEmpty(), "links that do not resolve inside the repository:\n  "
        + String.join("\n  ", broken));
  }

  @Test
  void noDocumentReferencesSharedOutsideTheRepository() throws IOException {
    Path root = repositoryRoot();
    List<String> offenders = new ArrayList<>();
    for (Path doc : documents(root)) {
      if (Files.readString(doc).contains("../shared")) {
        offenders.add(root.relativize(doc).toString());
      }
    }
    assertTrue(offenders.isEmpty(), "documents that reference ../shared: " + offenders);
  }

  private static List<Path> documents(Path root) throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(root.resolve("README.md"));
    try (Stream<Path> files = Files.list(root.resolve("docs"))) {
      files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The first directory, from the working directory up, that holds README.md and docs/. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir.normalize();
      }
    }
    throw new IllegalStateException("no directory with README.md and docs/ above "
        + Path.of("").toAbsolutePath());
  }
}
