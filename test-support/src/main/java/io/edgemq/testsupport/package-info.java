/** Helpers shared by the modules' tests; depended on in test scope only. */
package io.edgemq.testsupport;
