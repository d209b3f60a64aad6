package io.lanyard.kube;

/**
 * How kube-apiserver makes a user of Lanyard's id_token: the claims it reads and the prefixes it puts
 * before them. The default prefixes keep every Lanyard name apart from Kubernetes' own: a Lanyard
 * group called {@code system:masters} arrives as {@code lanyard:system:masters}, which means nothing.
 */
public record ClaimNames(String usernameClaim, String usernamePrefix, String groupsClaim, String groupsPrefix) {
    /** The claims Lanyard's id_tokens carry that name a person uniquely. */
    static final java.util.Set<String> USERNAME_CLAIMS = java.util.Set.of("email", "sub", "preferred_username");
    public static final String DEFAULT_PREFIX = "lanyard:";

    public ClaimNames {
        if (!USERNAME_CLAIMS.contains(usernameClaim)) {
            throw new IllegalArgumentException("--username-claim must be one of " + new java.util.TreeSet<>(USERNAME_CLAIMS)
                    + ", not '" + usernameClaim + "'");
        }
        if (!"groups".equals(groupsClaim)) {
            throw new IllegalArgumentException("--groups-claim must be groups (Lanyard's id_tokens carry groups there), "
                    + "not '" + groupsClaim + "'");
        }
        for (String prefix : new String[] {usernamePrefix, groupsPrefix}) {
            if (prefix.regionMatches(true, 0, "system:", 0, 7)) {
                throw new IllegalArgumentException("a prefix must not start with system: (Kubernetes' own names), not '"
                        + prefix + "'");
            }
            if (prefix.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new IllegalArgumentException("a prefix must have no spaces or control characters");
            }
        }
    }

    /** The group name RBAC bindings must use for a Lanyard group. */
    public String group(String lanyardGroup) {
        return groupsPrefix + lanyardGroup;
    }
}
