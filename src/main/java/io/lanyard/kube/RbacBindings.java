package io.lanyard.kube;

import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RoleBindings and ClusterRoleBindings that give a Lanyard group (as kube-apiserver names it, prefix
 * included) a role: a ClusterRole cluster-wide, or a Role or ClusterRole (such as {@code edit}) in one
 * namespace.
 */
public final class RbacBindings {
    private static final String RBAC = "rbac.authorization.k8s.io";
    /** RFC 1123 label: what a namespace may be called. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A path segment name: what a role and a binding may be called. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.:]{0,252}");

    /**
     * @param group       the group as tokens carry it before the apiserver's prefix (a Lanyard group, or a
     *                    connector's prefixed upstream group)
     * @param namespace   null for a ClusterRoleBinding
     * @param role        a Role in {@code namespace}; null when {@code clusterRole} is given
     * @param clusterRole a ClusterRole; null when {@code role} is given
     */
    public record Grant(String group, @Nullable String namespace, @Nullable String role, @Nullable String clusterRole) {
        public Grant {
            if ((role == null) == (clusterRole == null)) {
                throw new IllegalArgumentException("give --role or --cluster-role, one of them");
            }
            if (role != null && namespace == null) {
                throw new IllegalArgumentException("--role names a Role, which lives in a namespace: add --namespace");
            }
            if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException("'" + namespace + "' is not a namespace name (RFC 1123 label)");
            }
            String name = role != null ? role : clusterRole;
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a role name");
            }
        }
    }

    private RbacBindings() {
    }

    public static Map<String, Object> binding(Grant grant, ClaimNames claims) {
        String kubeGroup = claims.group(grant.group());
        String roleName = grant.role() != null ? grant.role() : grant.clusterRole();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", bindingName(grant.group(), (grant.role() != null ? "Role/" : "ClusterRole/") + roleName));
        if (grant.namespace() != null) {
            metadata.put("namespace", grant.namespace());
        }
        metadata.put("labels", Map.of("app.kubernetes.io/managed-by", "lanyard"));
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("apiVersion", RBAC + "/v1");
        binding.put("kind", grant.namespace() != null ? "RoleBinding" : "ClusterRoleBinding");
        binding.put("metadata", metadata);
        binding.put("subjects", List.of(Map.of("kind", "Group", "apiGroup", RBAC, "name", kubeGroup)));
        binding.put("roleRef", Map.of("apiGroup", RBAC, "kind", grant.role() != null ? "Role" : "ClusterRole",
                "name", roleName));
        return binding;
    }

    /**
     * lanyard-GROUP-ROLE, lower case, with what a name may not hold turned into dashes, and a short digest
     * of the exact group and role kind and name: team-a and Team-A, or corp:sre and corp-sre, or a Role and
     * a ClusterRole of one name, never share a binding that kubectl apply would overwrite.
     */
    static String bindingName(String group, String kindAndRole) {
        String role = kindAndRole.substring(kindAndRole.indexOf('/') + 1);
        String readable = ("lanyard-" + group + "-" + role).toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9.-]+", "-").replaceAll("-+", "-");
        readable = readable.length() > 200 ? readable.substring(0, 200) : readable;
        String digest = io.lanyard.oauth.Digests.sha256Base64Url(group + "\u0000" + kindAndRole)
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "").substring(0, 6);
        return readable.replaceAll("[-.]+$", "") + "-" + digest;
    }
}
