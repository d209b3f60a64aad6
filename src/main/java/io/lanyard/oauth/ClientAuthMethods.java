package io.lanyard.oauth;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;

import java.util.List;

/** Token endpoint client authentication methods (RFC 8414 section 2, RFC 7523, RFC 8705), by their registered names. */
public final class ClientAuthMethods {
    public static final String CLIENT_SECRET_BASIC = ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue();
    public static final String CLIENT_SECRET_POST = ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue();
    public static final String PRIVATE_KEY_JWT = ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue();
    public static final String NONE = ClientAuthenticationMethod.NONE.getValue();
    public static final String TLS_CLIENT_AUTH = ClientAuthenticationMethod.TLS_CLIENT_AUTH.getValue();
    public static final String SELF_SIGNED_TLS_CLIENT_AUTH = ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH.getValue();

    /** What works wherever Lanyard runs; the mutual-TLS methods need Lanyard to see the certificate. */
    public static final List<String> WITHOUT_TLS = List.of(CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, NONE);
    public static final List<String> MUTUAL_TLS = List.of(TLS_CLIENT_AUTH, SELF_SIGNED_TLS_CLIENT_AUTH);

    private ClientAuthMethods() {
    }
}
