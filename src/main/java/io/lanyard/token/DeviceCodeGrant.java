package io.lanyard.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import io.lanyard.clients.Client;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.OAuthException;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * RFC 8628 3.4 and 3.5: a device polls with its device code until the person approves or denies it
 * on the verification page. The approval is the person's, so the tokens are those of the code flow
 * ({@link UserTokens}): their groups, an id_token with {@code openid}, a refresh token with
 * {@code offline_access}. The code is redeemed by exactly one conditional UPDATE; two pollers
 * racing for it get one set of tokens between them.
 */
@Singleton
public class DeviceCodeGrant implements GrantHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceCodeGrant.class);

    private final DeviceCodes codes;
    private final UserSource users;
    private final Redemptions redemptions;
    private final Clock clock;

    DeviceCodeGrant(DeviceCodes codes, UserSource users, Redemptions redemptions, Clock clock) {
        this.codes = codes;
        this.users = users;
        this.redemptions = redemptions;
        this.clock = clock;
    }

    @Override
    public String grantType() {
        return GrantTypes.DEVICE_CODE;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public IssuedToken handle(GrantRequest request) {
        Client client = request.client();
        String deviceCode = request.parameter("device_code");
        if (deviceCode == null) {
            throw OAuthException.invalidRequest("device_code is missing");
        }
        String verifier = request.parameter("code_verifier");
        AuthorizationCodeGrant.checkVerifierSyntax(verifier);
        Instant now = clock.instant();
        DeviceCodes.Stored code = codes.findByDeviceCode(deviceCode).orElseThrow(() -> invalid("unknown"));
        if (!code.clientId().equals(client.clientId())) {
            throw invalid("issued to another client");
        }
        if (code.status() == DeviceCodes.Status.REDEEMED) {
            throw invalid("already redeemed");
        }
        if (code.expired(now)) {
            throw new OAuthException(DeviceAuthorizationGrantError.EXPIRED_TOKEN
                    .setDescription("the device code has expired; start again"));
        }
        if (codes.polled(code, now)) {
            throw new OAuthException(DeviceAuthorizationGrantError.SLOW_DOWN.setDescription(
                    "polling too often; wait " + (code.interval().toSeconds() + 5) + " seconds between requests"));
        }
        switch (code.status()) {
            case PENDING -> throw new OAuthException(DeviceAuthorizationGrantError.AUTHORIZATION_PENDING
                    .setDescription("the user has not yet approved the request"));
            case DENIED -> throw new OAuthException(OAuth2Error.ACCESS_DENIED.setHTTPStatusCode(400)
                    .setDescription("the user denied the request"));
            default -> {
                // APPROVED: redeemed below
            }
        }
        AuthorizationCodeGrant.checkPkce(code.codeChallenge(), verifier);
        User user = users.findById(code.userId()).filter(u -> !u.disabled()).orElseThrow(() -> invalid("user disabled"));
        UserAuthorization granted = new UserAuthorization(user, code.scope(), code.authTime(), null);
        IssuedToken answer = redemptions.issue(request, client, granted, now,
                        (c, familyId, access) -> DeviceCodes.redeem(c, code.deviceCodeHash(), now, familyId, access))
                // another poll redeemed it between our read and our update
                .orElseThrow(() -> invalid("already redeemed"));
        LOG.info("device code redeemed: client={} user={}", client.clientId(), user.id());
        return answer;
    }

    private static OAuthException invalid(String reason) {
        LOG.info("device code refused: {}", reason);
        return OAuthException.invalidGrant("the device code is invalid or already used");
    }
}
