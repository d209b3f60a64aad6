package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Table for people, JSON ({@code -o json}) for scripts. */
final class Output {
    private Output() {
    }

    static void json(PrintWriter out, Object value) {
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) map;
            out.println(JSONObjectUtils.toJSONString(typed));
        } else if (value instanceof List<?> list) {
            out.println(net.minidev.json.JSONArray.toJSONString(list));
        }
        out.flush();
    }

    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        printRow(out, header, widths);
        for (List<String> row : rows) {
            printRow(out, row, widths);
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + (widths[i] + 2) + "s", cells.get(i)));
        }
        out.println(line.toString().stripTrailing());
    }
}
