package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/** A vehicle: position advanced along a slowly turning heading at a varying speed. */
final class GpsTrack implements PayloadModel {
  private static final double METERS_PER_DEGREE = 111_320;
  private final SplittableRandom random;
  private double lat;
  private double lon;
  private double heading;
  private double speed;

  GpsTrack(SplittableRandom random) {
    this.random = random;
    this.lat = 48 + random.nextDouble() * 4;
    this.lon = 2 + random.nextDouble() * 10;
    this.heading = random.nextDouble() * 360;
    this.speed = 5 + random.nextDouble() * 20;
  }

  @Override
  public void next(FieldWriter out) {
    heading = (heading + (random.nextDouble() - 0.5) * 10 + 360) % 360;
    speed = Math.max(0, Math.min(40, speed + (random.nextDouble() - 0.5)));
    double rad = Math.toRadians(heading);
    // one reading per second of travel
    lat += speed * Math.cos(rad) / METERS_PER_DEGREE;
    lon += speed * Math.sin(rad) / (METERS_PER_DEGREE * Math.cos(Math.toRadians(lat)));
    lat = Math.max(-89.9, Math.min(89.9, lat));
    lon = ((lon + 540) % 360) - 180;
    out.number("lat", Math.round(lat * 1e6) / 1e6);
    out.number("lon", Math.round(lon * 1e6) / 1e6);
    out.number("speed", Math.round(speed * 10) / 10.0);
    out.integer("heading", Math.round(heading));
  }
}
