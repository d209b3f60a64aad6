-- A Lanyard group may name groups of a connector as members ('corp:k8s-admins', as tokens carry
-- them): everyone the connector puts in one of those groups is in the Lanyard group, so RBAC
-- bindings can use stable Lanyard names while the directory decides who is in them.
CREATE TABLE group_upstream_members (
    group_name     VARCHAR(128) NOT NULL REFERENCES user_groups (name) ON DELETE CASCADE,
    upstream_group VARCHAR(512) NOT NULL,
    PRIMARY KEY (group_name, upstream_group)
);
CREATE INDEX group_upstream_members_upstream ON group_upstream_members (upstream_group);
