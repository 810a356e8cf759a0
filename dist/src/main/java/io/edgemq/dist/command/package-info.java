/** The {@code edgemq} subcommands: one per role, standalone, admin and version. */
package io.edgemq.dist.command;
