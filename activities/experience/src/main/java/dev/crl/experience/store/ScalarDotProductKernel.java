package dev.crl.experience.store;

/** Dot products in plain loops: what every JVM can run. */
final class ScalarDotProductKernel implements DotProductKernel {

  @Override
  public float dot(float[] q, float[] v) {
    float sum = 0;
    for (int i = 0; i < q.length; i++) {
      sum += q[i] * v[i];
    }
    return sum;
  }

  @Override
  public void dot8(float[] q, float[][] v, float[] out) {
    float[] a = v[0];
    float[] b = v[1];
    float[] c = v[2];
    float[] d = v[3];
    float[] e = v[4];
    float[] f = v[5];
    float[] g = v[6];
    float[] h = v[7];
    float sa = 0;
    float sb = 0;
    float sc = 0;
    float sd = 0;
    float se = 0;
    float sf = 0;
    float sg = 0;
    float sh = 0;
    for (int i = 0; i < q.length; i++) {
      float x = q[i];
      sa += x * a[i];
      sb += x * b[i];
      sc += x * c[i];
      sd += x * d[i];
      se += x * e[i];
      sf += x * f[i];
      sg += x * g[i];
      sh += x * h[i];
    }
    out[0] = sa;
    out[1] = sb;
    out[2] = sc;
    out[3] = sd;
    out[4] = se;
    out[5] = sf;
    out[6] = sg;
    out[7] = sh;
  }

  @Override
  public String name() {
    return "scalar";
  }
}
