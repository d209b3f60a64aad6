-- Runs unchanged on PostgreSQL 15 and on H2 in MODE=PostgreSQL.

-- People. The id is 128 random bits (base64url), the token's `sub`: it never changes when the
-- username does, and a deleted user's id is never handed out again because nobody can pick one.
-- username_key is the lower-cased username, so 'Alice' and 'alice' are one user.
-- password_hash is a PHC Argon2id string; null means no password login.
-- config_password_hash is the passwordHash the declarative file last set: while the file still
-- says the same, the stored hash is left alone, so a rehash on login survives the next apply.
CREATE TABLE users (
    id                   VARCHAR(32)              NOT NULL PRIMARY KEY,
    username             VARCHAR(128)             NOT NULL,
    username_key         VARCHAR(128)             NOT NULL,
    email                VARCHAR(254),
    email_verified       BOOLEAN                  NOT NULL,
    display_name         VARCHAR(255),
    disabled             BOOLEAN                  NOT NULL,
    password_hash        VARCHAR(255),
    config_password_hash VARCHAR(255),
    source               VARCHAR(16)              NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username_key);

-- Groups, by name: the name is what tokens carry in `groups` and what RBAC bindings match.
CREATE TABLE user_groups (
    name        VARCHAR(128)             NOT NULL PRIMARY KEY,
    description VARCHAR(1024),
    source      VARCHAR(16)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A user's direct groups.
CREATE TABLE group_members (
    group_name VARCHAR(128) NOT NULL REFERENCES user_groups (name) ON DELETE CASCADE,
    user_id    VARCHAR(32)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_name, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- Nesting: child_group is a member of parent_group, so the child's members are in the parent
-- too. Cycles are refused when written (a check under the 'users' cache_versions row lock).
CREATE TABLE nested_groups (
    parent_group VARCHAR(128) NOT NULL REFERENCES user_groups (name) ON DELETE CASCADE,
    child_group  VARCHAR(128) NOT NULL REFERENCES user_groups (name) ON DELETE CASCADE,
    PRIMARY KEY (parent_group, child_group),
    CHECK (parent_group <> child_group)
);
CREATE INDEX nested_groups_child ON nested_groups (child_group);

-- Bumped by every change to users, groups or memberships; its row also serialises writes to the
-- group graph, so two writers cannot each add half of a cycle.
INSERT INTO cache_versions (name, version) VALUES ('users', 0);
