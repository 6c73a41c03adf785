/** Module package; see docs/architecture.md. */
package dev.crl.api;
