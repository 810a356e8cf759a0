/**
 * The route table: which broker processes are registered, which topics they hold, and when each was
 * last heard from. Writers (registration, heartbeat, unregistration, expiry) serialise on one lock;
 * readers use an immutable {@code RouteSnapshot} published through a volatile field, because route
 * queries outnumber writes by orders of magnitude.
 */
package io.edgemq.nameserver.route;
