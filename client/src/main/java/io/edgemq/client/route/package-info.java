/** Route discovery through the nameservers: the cache of topic routes and their views. */
package io.edgemq.client.route;
