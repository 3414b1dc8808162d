"""Distance on the earth's surface, for the optional geofence of an activity's check-in.

Only the outcome (inside or not) is ever stored: never a phone's coordinates.
"""

import math

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def parse_position(latitude, longitude) -> tuple[float, float] | None:
    """``(lat, lon)`` from two values as sent by a phone, or None when missing or out of range."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def inside_geofence(activity, position: tuple[float, float] | None) -> bool | None:
    """True or False when the activity has a geofence and a position was sent; else None."""
    if position is None or not activity.has_geofence:
        return None
    distance = haversine_m(
        float(activity.latitude), float(activity.longitude), position[0], position[1]
    )
    return distance <= activity.geofence_radius_m
