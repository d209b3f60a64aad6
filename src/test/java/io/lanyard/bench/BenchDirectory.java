package io.lanyard.bench;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import io.lanyard.testing.Slapd;

/**
 * A real OpenLDAP for {@code bench/ldap-login-load.sh}: the tests' directory plus {@code bench-0} to
 * {@code bench-7} with one password, all in {@code bench-group}. Prints {@code READY host:port}, then runs
 * until its standard input closes.
 *
 * <pre>java -cp ... io.lanyard.bench.BenchDirectory PASSWORD</pre>
 */
public final class BenchDirectory {
    public static void main(String[] args) throws Exception {
        try (Slapd slapd = Slapd.start(); LDAPConnection admin = slapd.admin()) {
            StringBuilder members = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                String dn = "uid=bench-" + i + ",ou=people," + Slapd.SUFFIX;
                admin.add(dn, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "bench-" + i),
                        new Attribute("cn", "Bench " + i), new Attribute("sn", "Bench"),
                        new Attribute("mail", "bench-" + i + "@ldap.example.org"), new Attribute("userPassword", args[0]));
                members.append(dn).append('\n');
            }
            admin.add("cn=bench-group,ou=groups," + Slapd.SUFFIX, new Attribute("objectClass", "groupOfNames"),
                    new Attribute("cn", "bench-group"), new Attribute("member", members.toString().trim().split("\n")));
            System.out.println("READY " + slapd.plainHost());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the script that started us closes our input
            }
        }
    }
}
