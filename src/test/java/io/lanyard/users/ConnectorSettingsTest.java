package io.lanyard.users;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What of a directory's groups reaches a token: never Kubernetes' system: groups, never a forged line. */
class ConnectorSettingsTest {

    @Test
    void systemGroupsAndControlCharactersNeverReachAToken() {
        ConnectorSettings plain = new ConnectorSettings("corp", "Corp", null, null);
        assertEquals(List.of("developers"), plain.groups(List.of("system:masters", "developers", "SYSTEM:Masters",
                "x\nsystem:masters", "", "tab\there")));
        ConnectorSettings prefixed = new ConnectorSettings("corp", "Corp", "corp:", Pattern.compile("k8s-.*"));
        assertEquals(List.of("corp:k8s-admins", "corp:k8s-dev"), prefixed.groups(List.of("k8s-dev", "k8s-admins",
                "payroll", "k8s-dev")));
    }
}
