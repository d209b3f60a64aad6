package io.lanyard.admin;

import io.micronaut.core.annotation.Nullable;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a connector's values as Dex does: {@code $VAR} and {@code ${VAR}} from the environment (an
 * unset one stops the start), {@code true}/{@code false} flags, and errors with the file's line.
 */
final class ConnectorValues {
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

    private final String file;
    private final SecretsFromEnv secrets;

    ConnectorValues(String file, SecretsFromEnv secrets) {
        this.file = file;
        this.secrets = secrets;
    }

    boolean flag(Map<String, NodeTuple> fields, String name, String path) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            return false;
        }
        String text = tuple.getValueNode() instanceof ScalarNode s ? s.getValue().trim() : "";
        if (!text.equals("true") && !text.equals("false")) {
            throw error(tuple.getValueNode(), path + "." + name, "must be true or false");
        }
        return text.equals("true");
    }

    /** A string, with Dex's {@code $VAR} and {@code ${VAR}} read from the environment. */
    @Nullable String value(Map<String, NodeTuple> fields, @Nullable Node node, String name, String path,
                                   boolean required) {
        if (!fields.containsKey(name)) {
            if (required) {
                throw error(node, path + "." + name, "is required");
            }
            return null;
        }
        String raw = ConfigFileParser.scalar(file, fields, name, path);
        Node at = fields.get(name).getValueNode();
        Matcher m = VARIABLE.matcher(raw);
        StringBuilder expanded = new StringBuilder();
        boolean unset = false;
        while (m.find()) {
            String variable = m.group(1) != null ? m.group(1) : m.group(2);
            String value = secrets.read(variable, () -> error(at, path + "." + name, "environment variable "
                    + variable + " is not set"));
            unset |= value == null;
            m.appendReplacement(expanded, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(expanded);
        return unset ? null : expanded.toString();
    }

    /** True when {@code name} named an environment variable that a shape-only check could not read. */
    boolean secretWasUnset(Map<String, NodeTuple> fields, String name) {
        return fields.containsKey(name) && fields.get(name).getValueNode() instanceof ScalarNode s
                && s.getValue().contains("$");
    }

    String required(Map<String, NodeTuple> fields, Node node, String name, String path) {
        return ConfigFileParser.required(file, fields, node, name, path);
    }

    int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    ConfigFileException error(@Nullable Node node, String field, String message) {
        return new ConfigFileException(file, node == null ? 1 : line(node), field, message);
    }
}
