/** Small pieces every feature package uses: name rules, rejections, atomic file writes. */
package io.edgemq.broker.common;
