package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What Lanyard adds to an upstream's groups before they reach a token, per connector (Lanyard's own
 * fields beside Dex's {@code config}).
 *
 * @param groupsPrefix put before every upstream group, so RBAC bindings can tell them from Lanyard's
 * @param groupsFilter only upstream groups whose whole name matches it are kept; null keeps all
 */
public record ConnectorSettings(String id, String name, @Nullable String groupsPrefix, @Nullable Pattern groupsFilter) {

    /**
     * The upstream groups as tokens carry them: filtered, then prefixed. A name with a control
     * character, or one that would start with {@code system:} (Kubernetes' own groups, such as
     * system:masters), is dropped: a directory must not hand out cluster-admin by naming a group.
     */
    public List<String> groups(List<String> upstream) {
        return upstream.stream()
                .filter(group -> !group.isEmpty() && group.chars().noneMatch(Character::isISOControl))
                .filter(group -> groupsFilter == null || groupsFilter.matcher(group).matches())
                .map(group -> groupsPrefix == null ? group : groupsPrefix + group)
                .filter(group -> !group.regionMatches(true, 0, "system:", 0, 7))
                .distinct().sorted().toList();
    }
}
