package io.lanyard.resourceserver;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.rules.SecurityRule;

/** The reports API: callers with a valid access token from Lanyard (application.yml) get an answer. */
@Controller("/reports")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Requires(beans = SecurityFilter.class) // with Micronaut Security switched off: no API, rather than an open one
public class ReportsController {

    @Get(produces = MediaType.TEXT_PLAIN)
    public String reports(Authentication caller) {
        return "reports for " + caller.getName(); // the token's sub: the client, or the person it acts for
    }
}
