package dev.crl.api.payload;

/**
 * A request to change one algorithm hyperparameter of a running run, e.g.
 * {@code actor_lr = 5e-6}. The run validates it with the same rules as the spec file.
 *
 * @param field the hyperparameter's spec key under {@code algorithm}, in snake_case
 * @param value the new value as written in YAML
 */
public record HyperparameterChange(String field, String value) {}
