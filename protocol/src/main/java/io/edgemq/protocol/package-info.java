/**
 * What every module shares about the wire: the default {@link io.edgemq.protocol.Ports}, the
 * classification of result codes in {@link io.edgemq.protocol.Codes}, and the size limit of one RPC
 * message in {@link io.edgemq.protocol.Limits}. The contracts themselves are the generated classes
 * in {@link io.edgemq.protocol.v1}.
 */
package io.edgemq.protocol;
