/** The broker's command line entry point, {@link io.edgemq.broker.BrokerMain}. */
package io.edgemq.broker;
