package io.lanyard.users;

/** Published after this process changed users, so memory caches of them reload at once. */
public record UsersChanged() {
}
