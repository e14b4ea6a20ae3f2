/// Why a geofence was refused. `code` is stable (`GEOFENCE_…`) for programs and tests; `message` is
/// Chinese and says what to change, because it is shown next to the field the project manager typed.
public struct GeofenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension GeofenceError {
    static let example = "圆形写 纬度,经度,半径（米），例如 30.657,104.066,300；多边形按顺序写各顶点的 纬度,经度，用分号或换行分隔"

    static let empty = GeofenceError(code: "GEOFENCE_EMPTY", message: "请填写考勤电子围栏：\(example)")

    static func syntax(_ detail: String) -> GeofenceError {
        GeofenceError(code: "GEOFENCE_SYNTAX", message: "\(detail)。\(example)")
    }

    static let json = GeofenceError(
        code: "GEOFENCE_JSON", message: "围栏数据的格式无法识别，请改用文字填写：\(example)")

    static func swapped(_ subject: String) -> GeofenceError {
        GeofenceError(
            code: "GEOFENCE_LAT_LNG_SWAPPED",
            message: "\(subject)坐标不在中国境内，请确认纬度在前、经度在后（例如成都天府广场为 30.6574,104.0659）")
    }

    static func outsideChina(_ subject: String) -> GeofenceError {
        GeofenceError(
            code: "GEOFENCE_OUTSIDE_CHINA",
            message: "\(subject)坐标不在中国境内，请确认纬度在前、经度在后：纬度应在 3.8 至 53.6 之间，经度应在 73.5 至 135.1 之间")
    }

    static func radius(_ radius: Double) -> GeofenceError {
        let shown = radius.isFinite ? "\(Geofence.plain(radius, decimals: 2)) 米" : "无效数值"
        let hint =
            radius.isFinite && radius > Geofence.radiusRange.upperBound
            ? "工地范围较大时请改用多边形围栏" : "手机定位误差常有 10 至 30 米，半径太小会让在场工人也无法打卡"
        return GeofenceError(code: "GEOFENCE_RADIUS", message: "围栏半径应在 20 至 5000 米之间，现在是\(shown)；\(hint)")
    }

    static func tooFewVertices(_ count: Int) -> GeofenceError {
        GeofenceError(
            code: "GEOFENCE_TOO_FEW_VERTICES",
            message: "多边形围栏至少需要 3 个顶点，现在只有 \(count) 个；如要设圆形围栏，请写成 纬度,经度,半径")
    }

    static func tooManyVertices(_ count: Int) -> GeofenceError {
        GeofenceError(
            code: "GEOFENCE_TOO_MANY_VERTICES", message: "多边形围栏最多 200 个顶点，现在有 \(count) 个，请沿工地边界取较少的拐点")
    }

    static func repeatedVertex(_ index: Int, previous: Int) -> GeofenceError {
        let message =
            index == 0
            ? "最后一个顶点与第一个顶点重复：围栏会自动闭合，请删除最后一个顶点"
            : "第 \(index + 1) 个顶点与第 \(previous + 1) 个顶点重复，请删除其中一个"
        return GeofenceError(code: "GEOFENCE_REPEATED_VERTEX", message: message)
    }

    static func selfIntersection(_ first: (Int, Int), _ second: (Int, Int)) -> GeofenceError {
        GeofenceError(
            code: "GEOFENCE_SELF_INTERSECTION",
            message: "围栏边线交叉：第 \(first.0 + 1)–\(first.1 + 1) 个顶点之间的边与第 \(second.0 + 1)–\(second.1 + 1) "
                + "个顶点之间的边相交。请沿工地边界按顺序（顺时针或逆时针）依次填写各顶点")
    }

    static func areaTooSmall(_ area: Double) -> GeofenceError {
        GeofenceError(
            code: "GEOFENCE_AREA_TOO_SMALL",
            message: "围栏面积约 \(Geofence.plain(area, decimals: 0)) 平方米，小于 100 平方米：请检查坐标是否写错，并把围栏画得比施工现场略大一些")
    }

    static func areaTooLarge(_ area: Double) -> GeofenceError {
        GeofenceError(
            code: "GEOFENCE_AREA_TOO_LARGE",
            message: "围栏面积约 \(Geofence.plain(area / 1_000_000, decimals: 1)) 平方公里，超过 25 平方公里：请只圈出施工现场，并检查坐标是否写错")
    }
}
