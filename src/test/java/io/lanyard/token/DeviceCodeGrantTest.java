package io.lanyard.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.testing.Pkce;
import io.lanyard.users.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.lanyard.token.GrantFixture.form;
import static io.lanyard.token.GrantFixture.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link DeviceCodeGrant} called directly, with codes the device endpoint issued and decisions the
 * verification page took: every answer of RFC 8628 3.5, PKCE, and one redemption per code.
 */
class DeviceCodeGrantTest {
    @RegisterExtension
    static final GrantFixture FIXTURE = new GrantFixture();
    private static final DeviceCodeGrant GRANT = FIXTURE.bean(DeviceCodeGrant.class);
    private static final DeviceCodes CODES = FIXTURE.bean(DeviceCodes.class);
    private static final Client KUBECTL = FIXTURE.register(Client.builder("kubectl")
            .grantTypes(Set.of(GrantTypes.DEVICE_CODE, GrantTypes.REFRESH_TOKEN))
            .scopes(Set.of("openid", "profile", "email", "groups", "offline_access"))
            .publicClient(true)
            .build());
    private static final Client OTHER = FIXTURE.register(KUBECTL.toBuilder().clientId("other").build());
    private static final User ALICE = FIXTURE.person("alice", "platform-admins");

    private static GrantRequest poll(Client client, String deviceCode, String... extra) {
        String[] values = new String[extra.length + 2];
        values[0] = "device_code";
        values[1] = deviceCode;
        System.arraycopy(extra, 0, values, 2, extra.length);
        return GrantRequest.of(GrantTypes.DEVICE_CODE, client, form(values));
    }

    private static DeviceCodes.Issued issue(Set<String> scope, String challenge) {
        return CODES.issue(KUBECTL.clientId(), scope, challenge);
    }

    private static void approve(DeviceCodes.Issued issued) {
        assertEquals(true, CODES.decide(issued.userCode(), true, ALICE.id(), FIXTURE.clock().instant()));
    }

    /** Waits out the interval on the fixture's clock, as a well-behaved device does. */
    private static void waitInterval() {
        FIXTURE.clock().advance(Duration.ofSeconds(6));
    }

    @Test
    void pendingUntilApprovedThenThePersonsTokens() throws Exception {
        DeviceCodes.Issued issued = issue(Set.of("openid", "groups", "email", "offline_access"), null);
        assertEquals("authorization_pending", refusal(GRANT, poll(KUBECTL, issued.deviceCode())));
        approve(issued);
        waitInterval();

        IssuedToken tokens = GRANT.handle(poll(KUBECTL, issued.deviceCode()));
        JWTClaimsSet access = FIXTURE.verify(tokens.accessToken(), TokenKind.ACCESS_TOKEN);
        assertEquals(ALICE.id(), access.getSubject());
        assertEquals("kubectl", access.getStringClaim("client_id"));
        JWTClaimsSet id = FIXTURE.verify(tokens.idToken(), TokenKind.ID_TOKEN);
        assertEquals(ALICE.id(), id.getSubject());
        assertEquals(List.of("kubectl"), id.getAudience());
        assertEquals(List.of("platform-admins"), id.getStringListClaim("groups"));
        assertNotNull(tokens.refreshToken());
        assertEquals(GrantTypes.DEVICE_CODE, tokens.grantType());

        // the refresh token works as one from the code flow
        IssuedToken refreshed = FIXTURE.bean(RefreshTokenGrant.class).handle(GrantRequest.of(GrantTypes.REFRESH_TOKEN,
                KUBECTL, form("refresh_token", tokens.refreshToken())));
        assertNotNull(refreshed.idToken());

        waitInterval();
        assertEquals("invalid_grant", refusal(GRANT, poll(KUBECTL, issued.deviceCode())), "redeemed once");
    }

    @Test
    void withoutOpenidOrOfflineAccessThereIsNoIdTokenOrRefreshToken() {
        DeviceCodes.Issued issued = issue(Set.of("profile"), null);
        approve(issued);
        IssuedToken tokens = GRANT.handle(poll(KUBECTL, issued.deviceCode()));
        assertNull(tokens.idToken());
        assertNull(tokens.refreshToken());
    }

    @Test
    void pollingFasterThanTheIntervalSlowsDownByFiveSeconds() {
        DeviceCodes.Issued issued = issue(Set.of("openid"), null);
        assertEquals("authorization_pending", refusal(GRANT, poll(KUBECTL, issued.deviceCode())));
        assertEquals("slow_down", refusal(GRANT, poll(KUBECTL, issued.deviceCode())));
        // the interval is now 10 s: 6 s later is still too soon, 11 s later is not
        FIXTURE.clock().advance(Duration.ofSeconds(6));
        assertEquals("slow_down", refusal(GRANT, poll(KUBECTL, issued.deviceCode())));
        FIXTURE.clock().advance(Duration.ofSeconds(16));
        assertEquals("authorization_pending", refusal(GRANT, poll(KUBECTL, issued.deviceCode())));
        assertEquals(Duration.ofSeconds(15), CODES.findByDeviceCode(issued.deviceCode()).orElseThrow().interval());
    }

    /**
     * golang.org/x/oauth2 without a fixed auth style sends every poll twice at once (its second
     * client-authentication style after the first answer's error) and adds 5 s to its own interval at
     * each slow_down: the second request is slowed down, the first still answered, and the approval
     * reaches the device.
     */
    @Test
    void aClientThatSendsEachPollTwiceStillGetsItsTokens() {
        DeviceCodes.Issued issued = issue(Set.of("openid"), null);
        long clientInterval = issued.interval().toSeconds();
        for (int tick = 0; tick < 4; tick++) {
            FIXTURE.clock().advance(Duration.ofSeconds(clientInterval));
            assertEquals("authorization_pending", refusal(GRANT, poll(KUBECTL, issued.deviceCode())), "tick " + tick);
            assertEquals("slow_down", refusal(GRANT, poll(KUBECTL, issued.deviceCode())), "tick " + tick);
            clientInterval += 5;
        }
        approve(issued);
        FIXTURE.clock().advance(Duration.ofSeconds(clientInterval));
        assertNotNull(GRANT.handle(poll(KUBECTL, issued.deviceCode())).idToken());
    }

    @Test
    void deniedExpiredUnknownAndAnotherClientsCodes() {
        DeviceCodes.Issued denied = issue(Set.of("openid"), null);
        assertEquals(true, CODES.decide(denied.userCode(), false, ALICE.id(), FIXTURE.clock().instant()));
        assertEquals("access_denied", refusal(GRANT, poll(KUBECTL, denied.deviceCode())));
        assertEquals(false, CODES.decide(denied.userCode(), true, ALICE.id(), FIXTURE.clock().instant()),
                "a decision is taken once");

        DeviceCodes.Issued other = issue(Set.of("openid"), null);
        approve(other);
        assertEquals("invalid_grant", refusal(GRANT, poll(OTHER, other.deviceCode())));
        assertEquals("invalid_grant", refusal(GRANT, poll(KUBECTL, "not-a-device-code")));
        assertEquals("invalid_request", refusal(GRANT, GrantRequest.of(GrantTypes.DEVICE_CODE, KUBECTL, form())));

        DeviceCodes.Issued late = issue(Set.of("openid"), null);
        FIXTURE.clock().advance(Duration.ofMinutes(11));
        assertEquals("expired_token", refusal(GRANT, poll(KUBECTL, late.deviceCode())));
        assertEquals(false, CODES.decide(late.userCode(), true, ALICE.id(), FIXTURE.clock().instant()),
                "an expired code cannot be approved");
    }

    @Test
    void aCodeWithAChallengeNeedsItsVerifier() {
        Pkce pkce = Pkce.create();
        DeviceCodes.Issued issued = issue(Set.of("openid"), pkce.challenge());
        approve(issued);
        assertEquals("invalid_grant", refusal(GRANT, poll(KUBECTL, issued.deviceCode())));
        waitInterval();
        assertEquals("invalid_grant", refusal(GRANT, poll(KUBECTL, issued.deviceCode(), "code_verifier",
                Pkce.create().verifier())));
        waitInterval();
        assertNotNull(GRANT.handle(poll(KUBECTL, issued.deviceCode(), "code_verifier", pkce.verifier())).idToken());
    }

    @Test
    void twoPollersRacingForAnApprovedCodeGetOneSetOfTokens() throws Exception {
        for (int round = 0; round < 5; round++) {
            DeviceCodes.Issued issued = issue(Set.of("openid", "offline_access"), null);
            approve(issued);
            Callable<String> poller = () -> {
                try {
                    return GRANT.handle(poll(KUBECTL, issued.deviceCode())).accessToken();
                } catch (io.lanyard.oauth.OAuthException e) {
                    return e.error().getCode();
                }
            };
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<String> a = pool.submit(poller);
                Future<String> b = pool.submit(poller);
                List<String> answers = List.of(a.get(), b.get());
                assertEquals(1, answers.stream().filter(answer -> answer.contains(".")).count(), answers.toString());
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void userCodesAreShortUnambiguousAndReadBackHoweverTyped() {
        String stored = UserCodes.generate();
        assertEquals(8, stored.length());
        assertEquals(true, stored.chars().allMatch(ch -> UserCodes.ALPHABET.indexOf(ch) >= 0), stored);
        String shown = UserCodes.display(stored);
        assertEquals(stored.substring(0, 4) + "-" + stored.substring(4), shown);
        assertEquals(stored, UserCodes.normalize(shown.toLowerCase()));
        assertEquals(stored, UserCodes.normalize(stored));
        assertEquals(stored, UserCodes.normalize(" " + shown.substring(0, 4) + " " + shown.substring(5) + " "));
        assertNull(UserCodes.normalize("ABCD-EFGH"), "vowels are never in a code");
        assertNull(UserCodes.normalize("BCDF-GHJ"), "too short");
        assertNull(UserCodes.normalize(null));
        assertEquals(20, UserCodes.ALPHABET.length());
    }
}
