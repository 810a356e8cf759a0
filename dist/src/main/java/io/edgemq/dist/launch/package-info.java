/**
 * Starting roles in one JVM and stopping them cleanly: one {@link
 * io.edgemq.dist.launch.RoleStarter} per role and the {@link io.edgemq.dist.launch.Launcher} that
 * every server subcommand shares.
 */
package io.edgemq.dist.launch;
