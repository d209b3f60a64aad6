package io.lanyard.resourceserver;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "Verifying Lanyard's tokens in your service" quotes the examples the tests in this package run,
 * word for word: Java from the line after its imports to the end, the YAML whole.
 */
class ReadmeExamplesTest {
    private static final Path CODE = Path.of("src/test/java/io/lanyard/resourceserver");
    private static final Path RESOURCES = Path.of("src/test/resources/io/lanyard/resourceserver");

    @ParameterizedTest
    @ValueSource(strings = {"ReportsController.java", "ClientIdRequired.java", "SpringAccessTokens.java",
            "NimbusAccessTokens.java", "application.yml"})
    void theReadmeQuotesTheTestedCode(String file) throws Exception {
        String quoted = file.endsWith(".java")
                ? "```java\n" + afterImports(Files.readString(CODE.resolve(file))) + "```\n"
                : "```yaml\n" + Files.readString(RESOURCES.resolve(file)) + "```\n";
        assertTrue(Files.readString(Path.of("README.md")).contains(quoted),
                "README.md should quote " + file + " as it is now:\n" + quoted);
    }

    private static String afterImports(String source) {
        List<String> lines = Arrays.asList(source.split("\n", -1));
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("import ")) {
                start = i + 1;
            }
        }
        while (lines.get(start).isEmpty()) {
            start++;
        }
        return String.join("\n", lines.subList(start, lines.size()));
    }
}
