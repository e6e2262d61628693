"""The one documented configuration of the connectivity network.

Every speed, dwell time, penalty and detour factor the network uses lives here,
each with the reason for its value (:data:`SOURCES`). Results record the
configuration that produced them through :func:`config_id` (a short hash of the
values), so two numbers computed with different assumptions never get mixed up.

Values are strategic-planning assumptions, not timetables: they are chosen to
reproduce typical door-to-door times, and every one can be overridden with
``dataclasses.replace(DEFAULT_CONFIG, metro_speed_kmh=...)``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class NetworkConfig:
    # --- metro ---------------------------------------------------------------
    metro_speed_kmh: float = 40.0
    metro_fast_lines: tuple[str, ...] = ("8", "11", "13")
    metro_fast_speed_kmh: float = 65.0
    metro_dwell_min: float = 0.5
    metro_wait_min: float = 4.0
    metro_timetable: bool = True
    metro_line_headways_min: tuple[tuple[str, float], ...] = (("8", 10.0), ("11", 10.0), ("13", 10.0))
    metro_express_routes: tuple[tuple[str, str, str], ...] = (("8", "mst_qingdaobeizhan", "mst_jiaodongjichang"),)
    metro_stop_loss_min: float = 1.5
    metro_express_wait_min: float = 30.0
    # --- rail / HSR ----------------------------------------------------------
    rail_speed_factor: float = 0.6
    rail_default_speed_kmh: float = 120.0
    rail_dwell_min: float = 2.0
    rail_wait_min: float = 15.0
    rail_timetable: bool = True
    rail_wait_max_min: float = 30.0
    # --- roads ---------------------------------------------------------------
    road_speed_factor: float = 0.81
    road_default_speed_kmh: float = 80.0
    road_published_lengths_km: tuple[tuple[str, float], ...] = (
        ("road_jiaozhouwan_tunnel", 7.8), ("road_jiaozhouwan_bridge", 26.7))
    road_snap_tolerance_m: float = 300.0
    road_interchange_spacing_m: float = 4_000.0
    road_overlap_m: float = 100.0
    road_stitch_max_m: float = 10_000.0
    # --- ferry ---------------------------------------------------------------
    ferry_speed_kmh: float = 20.0
    ferry_wait_min: float = 15.0
    # --- transfers between stations / piers ----------------------------------
    transfer_radius_m: float = 500.0
    transfer_penalty_min: float = 3.0
    alight_min: float = 1.0
    # --- access legs -----------------------------------------------------------
    walk_speed_kmh: float = 4.8
    walk_detour: float = 1.3
    walk_max_m: float = 1200.0
    feeder_speed_kmh: float = 20.0
    feeder_detour: float = 1.4
    feeder_wait_min: float = 5.0
    feeder_max_m: float = 15_000.0
    feeder_nearest: int = 2
    drive_speed_kmh: float = 30.0
    drive_detour: float = 1.3
    drive_max_m: float = 20_000.0
    drive_nearest: int = 3
    park_ride_penalty_min: float = 8.0
    drive_terminal_min: float = 3.0
    drive_local_m: float = 5_000.0
    arterial_speed_kmh: float = 40.0
    arterial_max_m: float = 30_000.0
    arterial_water_max_m: float = 1_000.0
    # --- measures -------------------------------------------------------------
    gravity_tau_min: float = 30.0
    ideal_speed_kmh: float = 100.0
    unreachable_penalty_min: float = 240.0
    notes: str = field(default="default strategic assumptions (see SOURCES)", compare=False)

    def metro_line_speed(self, line: str) -> float:
        return self.metro_fast_speed_kmh if str(line) in self.metro_fast_lines else self.metro_speed_kmh

    def metro_line_wait(self, line: str) -> float:
        """Half the line's headway (random arrival), or ``metro_wait_min`` for lines without one."""
        headways = {str(k): float(v) for k, v in self.metro_line_headways_min}
        return headways[str(line)] / 2.0 if str(line) in headways else self.metro_wait_min


#: Why each value is what it is. A test checks every field has an entry.
SOURCES: dict[str, str] = {
    "metro_speed_kmh": "Running speed between stations (dwell excluded) of an 80 km/h-design urban metro; "
    "Qingdao lines 1-6 are 80 km/h designs (Qingdao Metro line facts); typical 35-45 km/h (assumption).",
    "metro_fast_lines": "Qingdao Metro lines 8, 11 and 13 are 120 km/h suburban/express lines (Qingdao Metro line facts).",
    "metro_fast_speed_kmh": "About 55% of a 120 km/h maximum, typical of long-spaced suburban lines (assumption).",
    "metro_dwell_min": "30 s stop at each intermediate station (typical metro dwell).",
    "metro_wait_min": "Half of an 8 min headway (assumption for the urban lines 1-4 and 6, whose off-peak "
    "headways are not in a cited source), paid at boarding and at every line change.",
    "metro_timetable": "Section times of the operating lines from the published timetable "
    "(geodata/src/metro_section_times.csv: CGo-Project/CGo-OpenMap data_interval_times.js, from Qingdao Metro's "
    "first/last-train timetable of 2026-10-09): minutes between departures = running time + dwell. Sections "
    "without a timetable time (lines under construction) use speed x distance + dwell.",
    "metro_line_headways_min": "Headways used for waiting (half the headway): line 8 10 min at peak, 12.5 min "
    "otherwise (Qingdao Metro notice of 2021-07-16, reported by m.shzx.org 2021-07-17); lines 11 and 13 "
    "(suburban express lines, 120 km/h) assumed 10 min like line 8.",
    "metro_express_routes": "Non-stop trains (line, from, to): line 8 runs direct trains Qingdao North - Jiaodong "
    "Airport outside regular hours (same notice). Their run time is the stopping time minus metro_stop_loss_min "
    "per skipped stop (not the published express time, which is kept for validation).",
    "metro_stop_loss_min": "Minutes a train loses per intermediate stop (about 35 s dwell + 50 s braking and "
    "accelerating from 100-120 km/h); assumption.",
    "metro_express_wait_min": "Direct trains run twice a day each way, outside regular hours: a planner cannot "
    "count on one, so boarding one costs 30 min (they are only chosen when nothing else runs).",
    "rail_speed_factor": "Only for a station pair the timetable does not serve: average speed between stops "
    "as a share of the line's design_speed_kmh (acceleration, speed restrictions near stations); assumption.",
    "rail_default_speed_kmh": "Used when a rail line has no design_speed_kmh.",
    "rail_dwell_min": "Only for pairs without timetable times: 2 min intermediate stop of intercity/HSR trains.",
    "rail_wait_min": "Only for a station the timetable does not list: arrive before departure and wait "
    "(assumption).",
    "rail_timetable": "Rail in-vehicle minutes between two stations are the median over the trains that call at "
    "both, in that direction, in China Railway's timetable of 2024-06-15 (gpx0214/gpx0214.github.io "
    "js/cr240615.min.csv, commit a2649c51; extract geodata/src/rail_timetable_pairs.csv, rebuilt by "
    "python -m geodata.extract_rail_timetable). Waits: half the mean headway of one direction over the "
    "station's service hours (geodata/src/rail_timetable_stations.csv: trains calling on 2024-07-02 / 2, "
    "first to last departure). The count is of all trains at the station, whatever their destination, so "
    "the wait for one particular destination is understated at big stations.",
    "rail_wait_max_min": "Cap on the rail wait: where trains are sparse (红岛, 董家口: a train every 45-90 min "
    "each way) a traveller looks up the timetable instead of arriving at random; assumption.",
    "road_speed_factor": "Operating speed as a share of design_speed_kmh, set on the two car calibration trips "
    "of analysis/reference_trips.csv only (timed drives of 2011: tunnel 7.8 km in 7 min, bridge 26.7 km in 25 min): "
    "(7.8 + 26.7) km / 32 min = 64.7 km/h = 0.81 x 80 km/h (tests/test_connectivity_car.py recomputes it). "
    "Applied to the expressways too (96 km/h on 120 km/h roads): an extrapolation, no expressway trip was timed.",
    "road_published_lengths_km": "Published road lengths of the structures whose drawn lines are schematic and "
    "shorter: Jiaozhou Bay Tunnel 7.8 km portal to portal (Wikipedia 'Qingdao Jiaozhou Bay tunnel'; China Daily "
    "2011-01-05 'The tunnel is 7,800 meters long'), Jiaozhou Bay Bridge main line 26.7 km of bridge (Wikipedia "
    "'Jiaozhou Bay Bridge'). Times on them use these lengths at design speed x road_speed_factor.",
    "road_default_speed_kmh": "Used when a road link has no design_speed_kmh.",
    "road_snap_tolerance_m": "Road line ends within this distance of another road are joined (schematic geometry "
    "that does not exactly touch); larger than digitising error, smaller than interchange spacing.",
    "road_interchange_spacing_m": "Expressways can be joined and left along their length, at points this far "
    "apart (the strategic layer has no interchange positions; Chinese expressway interchanges in and near cities "
    "are typically 3-6 km apart, JTG B01 guidance of 4-10 km outside them); bridges and tunnels only at their "
    "ends; assumption.",
    "road_overlap_m": "An expressway polyline within this distance of a bridge/tunnel is taken to run on it "
    "(the structure carries that stretch).",
    "road_stitch_max_m": "A road end that meets no other road (e.g. the Jiaozhou Bay Tunnel portals, which open "
    "onto city streets) is joined to the nearest node of each other road within this distance, at drive speed x "
    "detour (urban streets).",
    "ferry_speed_kmh": "Qingdao-Huangdao passenger ferry crossing speed (about 20 km/h, ~25 min for ~8 km).",
    "ferry_wait_min": "Half of a ~30 min ferry headway.",
    "transfer_radius_m": "Stations/piers closer than this are linked by a walking transfer (e.g. metro and HSR "
    "station of the same hub).",
    "transfer_penalty_min": "Extra minutes for a transfer between separate stations (stairs, gates, orientation).",
    "alight_min": "Leaving a platform to the station exit/concourse.",
    "walk_speed_kmh": "1.33 m/s, the usual planning walking speed.",
    "walk_detour": "Network/crow-fly distance ratio for walking in Chinese cities (1.2-1.4).",
    "walk_max_m": "Station catchment for walking access (about 15 min).",
    "feeder_speed_kmh": "Bus/taxi feeder to the nearest stations when none is within walking distance.",
    "feeder_detour": "Network/crow-fly ratio of feeder trips.",
    "feeder_wait_min": "Wait for a bus or taxi.",
    "feeder_max_m": "Largest feeder trip considered.",
    "feeder_nearest": "How many nearest stations a facility can reach by feeder.",
    "drive_speed_kmh": "Local urban driving from a facility to the strategic road network.",
    "drive_detour": "Network/crow-fly ratio of local driving.",
    "drive_max_m": "Largest local drive to the strategic network considered.",
    "drive_nearest": "How many nearest road nodes a facility can reach by local driving.",
    "park_ride_penalty_min": "Parking/drop-off and walking into a station when switching from car to transit "
    "(combined mode only).",
    "drive_terminal_min": "Minutes at each end of a car trip for walking to/from the parked car and finding a "
    "space (assumption; door-to-door car times otherwise flatter the car for short trips).",
    "drive_local_m": "A local drive to the strategic roads runs on city streets (drive_speed_kmh) for its first "
    "5 km of road and on arterials (arterial_speed_kmh) beyond (suburban places such as 鳌山湾 are 10-25 km "
    "from the nearest expressway in the strategic layer); assumption.",
    "arterial_speed_kmh": "Direct car trips between two attached places on the arterial roads the strategic layer "
    "leaves out (coastal avenues, 青威路 …): crow-fly x drive_detour at this speed; assumption, replaced by real "
    "streets when the OSM road network is cached.",
    "arterial_max_m": "Longest such direct trip considered (beyond it the expressways are the way).",
    "arterial_water_max_m": "A direct car leg whose straight line runs more than this over the sea (outside the "
    "city outline) is not added: crossing the bay takes the bridge or a tunnel; small coves are tolerated.",
    "unreachable_penalty_min": "A pair that a scenario disconnects counts as this many minutes in the mean "
    "(longer than any connected trip in the corridor), so losing a link can never lower the mean; the "
    "number of such pairs is reported separately.",
    "gravity_tau_min": "Decay time of the gravity accessibility score exp(-t/tau); 30 min halves weight at ~21 min.",
    "ideal_speed_kmh": "Straight-line reference speed for the normalised global efficiency.",
    "notes": "Free text; not part of the config id.",
}


def config_dict(config: NetworkConfig) -> dict:
    data = asdict(config)
    data.pop("notes", None)
    return data


def config_id(config: NetworkConfig) -> str:
    """A 12-hex-digit hash of the values (not the notes): equal values, equal id."""
    payload = json.dumps(config_dict(config), sort_keys=True, default=list)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


DEFAULT_CONFIG = NetworkConfig()
