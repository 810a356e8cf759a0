/** The admin client: cluster-wide topic, group, lag and message-query operations. */
package io.edgemq.client.admin;
