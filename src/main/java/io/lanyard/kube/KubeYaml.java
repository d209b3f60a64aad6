package io.lanyard.kube;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.List;

/** Block-style YAML documents, each after the comment lines that say where it goes. */
public final class KubeYaml {
    private KubeYaml() {
    }

    public static String document(List<String> comments, Object value) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(0);
        options.setIndent(2);
        options.setWidth(4096);
        options.setSplitLines(false);
        StringBuilder out = new StringBuilder();
        for (String comment : comments) {
            out.append(comment.isEmpty() ? "#" : "# " + comment).append('\n');
        }
        out.append(new Yaml(options).dump(value));
        return out.toString();
    }
}
