/** The transactional producer and request-reply: half messages, outcomes, checks, replies. */
package io.edgemq.client.transaction;
