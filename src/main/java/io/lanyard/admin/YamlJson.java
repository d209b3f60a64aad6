package io.lanyard.admin;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node as JSON text, for values the file may give either way (a client's {@code jwks}:
 * a mapping, or the JSON a tool printed, as a string). Scalars stay strings: every JWK member is one.
 */
final class YamlJson {
    private YamlJson() {
    }

    static String toJson(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue().trim();
        }
        Object value = value(node);
        return value instanceof Map<?, ?> map ? JSONObjectUtils.toJSONString(cast(map)) : null;
    }

    private static Object value(Node node) {
        if (node instanceof MappingNode mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    map.put(key.getValue(), value(tuple.getValueNode()));
                }
            }
            return map;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                list.add(value(item));
            }
            return list;
        }
        return ((ScalarNode) node).getValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
