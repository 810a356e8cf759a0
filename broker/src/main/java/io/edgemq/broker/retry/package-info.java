/**
 * Retries and dead letters: SendBack puts a failed message into its group's retry topic {@code
 * %RETRY%{group}} after the group's back-off, or into {@code %DLQ%{group}} once its retries are
 * used up; admins list and resend dead letters. See docs/broker.md, "Retries and dead letters".
 */
package io.edgemq.broker.retry;
