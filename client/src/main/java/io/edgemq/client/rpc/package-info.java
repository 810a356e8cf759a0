/** Channel management, deadlines and the mapping of call failures to {@code ClientException}. */
package io.edgemq.client.rpc;
