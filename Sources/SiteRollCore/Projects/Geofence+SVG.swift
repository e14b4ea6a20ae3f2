import Foundation

extension Geofence {
    /// A small self-contained SVG map of the fence for the project page: the outline on a local metre grid,
    /// north up, scaled to fit with padding, a scale bar of a round number of metres, a north arrow and,
    /// if given, a marker (an attendance position, say). The marker is included in the fitted area, so a
    /// position far outside shrinks the fence rather than falling off the picture.
    ///
    /// Server-rendered and static: no script, no external resources, every text escaped, so it can be
    /// inlined into a page. `width` and `height` are pixels (at least 120 × 90).
    public func svg(width: Int, height: Int, marker: GeoPoint? = nil) -> String {
        let canvas = SVGCanvas(width: Double(max(width, 120)), height: Double(max(height, 90)))
        let projection = LocalProjection(origin: centroid.isFinite ? centroid : GeoPoint(latitude: 0, longitude: 0))
        let marker = marker.flatMap { $0.isFinite ? projection.project($0) : nil }

        var bounds = PlaneBounds()
        switch self {
        case .circle(let center, let radius):
            let centre = projection.project(center)
            let radius = radius.isFinite ? max(0, radius) : 0
            bounds.include(PlanePoint(x: centre.x - radius, y: centre.y - radius))
            bounds.include(PlanePoint(x: centre.x + radius, y: centre.y + radius))
        case .polygon(let vertices):
            for vertex in vertices where vertex.isFinite { bounds.include(projection.project(vertex)) }
        }
        if let marker { bounds.include(marker) }
        let frame = canvas.fit(bounds)

        var parts: [String] = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(canvas.number(canvas.width))\" "
                + "height=\"\(canvas.number(canvas.height))\" viewBox=\"0 0 \(canvas.number(canvas.width)) "
                + "\(canvas.number(canvas.height))\" role=\"img\" aria-label=\"考勤电子围栏\">",
            "<title>\(Geofence.xmlEscaped(svgTitle))</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"#f8f9fa\"/>",
        ]
        let shapeStyle = "fill=\"#1a73e8\" fill-opacity=\"0.15\" stroke=\"#1a73e8\" stroke-width=\"2\""
        switch self {
        case .circle(let center, let radius):
            let centre = frame.pixel(projection.project(center))
            let radius = radius.isFinite ? max(0, radius) : 0
            parts.append(
                "<circle cx=\"\(canvas.number(centre.x))\" cy=\"\(canvas.number(centre.y))\" "
                    + "r=\"\(canvas.number(radius * frame.pixelsPerMetre))\" \(shapeStyle)/>")
        case .polygon(let vertices):
            let points = vertices.filter(\.isFinite).map { frame.pixel(projection.project($0)) }
            if !points.isEmpty {
                let path = points.enumerated().map { index, point in
                    "\(index == 0 ? "M" : "L")\(canvas.number(point.x)),\(canvas.number(point.y))"
                }
                parts.append(
                    "<path d=\"\(path.joined(separator: " ")) Z\" \(shapeStyle) stroke-linejoin=\"round\"/>")
            }
        }
        if let marker {
            let point = frame.pixel(marker)
            parts.append(
                "<circle cx=\"\(canvas.number(point.x))\" cy=\"\(canvas.number(point.y))\" r=\"5\" "
                    + "fill=\"#d93025\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>")
        }
        parts.append(contentsOf: canvas.scaleBar(metresPerPixel: 1 / frame.pixelsPerMetre))
        parts.append(contentsOf: canvas.northArrow())
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// What the drawing shows, for screen readers and the tooltip.
    private var svgTitle: String {
        switch self {
        case .circle(let center, let radius):
            "考勤电子围栏：圆形，圆心 \(Geofence.typed(center))，半径 \(Geofence.plain(radius, decimals: 2)) 米"
        case .polygon(let vertices):
            "考勤电子围栏：多边形，\(vertices.count) 个顶点，面积约 \(Geofence.plain(areaSquareMetres, decimals: 0)) 平方米"
        }
    }

    static func xmlEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// The smallest east/north rectangle around some plane points.
private struct PlaneBounds {
    var minX = Double.infinity
    var maxX = -Double.infinity
    var minY = Double.infinity
    var maxY = -Double.infinity

    mutating func include(_ point: PlanePoint) {
        minX = min(minX, point.x)
        maxX = max(maxX, point.x)
        minY = min(minY, point.y)
        maxY = max(maxY, point.y)
    }

    var isEmpty: Bool { minX > maxX }
}

/// Maps plane metres to SVG pixels: centred in the drawing area, north up (SVG's y grows downwards).
private struct SVGFrame {
    var centreMetres: PlanePoint
    var centrePixels: PlanePoint
    var pixelsPerMetre: Double

    func pixel(_ point: PlanePoint) -> PlanePoint {
        PlanePoint(
            x: centrePixels.x + (point.x - centreMetres.x) * pixelsPerMetre,
            y: centrePixels.y - (point.y - centreMetres.y) * pixelsPerMetre)
    }
}

/// The picture's layout: a drawing area with padding, a band at the bottom for the scale bar and a
/// column on the right for the north arrow.
private struct SVGCanvas {
    let width: Double
    let height: Double
    let padding = 12.0
    let scaleBand = 22.0
    let arrowColumn = 22.0

    /// Fits `bounds` into the drawing area. Anything smaller than 10 m across is drawn as 10 m, so a single
    /// point does not divide by zero.
    func fit(_ bounds: PlaneBounds) -> SVGFrame {
        let drawingWidth = width - 2 * padding - arrowColumn
        let drawingHeight = height - 2 * padding - scaleBand
        let centrePixels = PlanePoint(x: padding + drawingWidth / 2, y: padding + drawingHeight / 2)
        guard !bounds.isEmpty else {
            return SVGFrame(
                centreMetres: PlanePoint(x: 0, y: 0), centrePixels: centrePixels,
                pixelsPerMetre: min(drawingWidth, drawingHeight) / 10)
        }
        let spanX = max(bounds.maxX - bounds.minX, 10)
        let spanY = max(bounds.maxY - bounds.minY, 10)
        return SVGFrame(
            centreMetres: PlanePoint(x: (bounds.minX + bounds.maxX) / 2, y: (bounds.minY + bounds.maxY) / 2),
            centrePixels: centrePixels, pixelsPerMetre: min(drawingWidth / spanX, drawingHeight / spanY))
    }

    /// A bar of 1, 2 or 5 × 10ⁿ metres, at most a third of the width, bottom left, labelled "100 米".
    func scaleBar(metresPerPixel: Double) -> [String] {
        let metres = SVGCanvas.roundLength(notExceeding: (width - 2 * padding) / 3 * metresPerPixel)
        let length = metres / metresPerPixel
        let y = height - padding - 4
        let x = padding
        let label = "\(Geofence.plain(metres, decimals: 0)) 米"
        return [
            "<path d=\"M\(number(x)),\(number(y - 5)) V\(number(y)) H\(number(x + length)) V\(number(y - 5))\" "
                + "fill=\"none\" stroke=\"#202124\" stroke-width=\"1.5\"/>",
            "<text x=\"\(number(x + length + 5))\" y=\"\(number(y))\" font-family=\"sans-serif\" font-size=\"11\" "
                + "fill=\"#202124\">\(Geofence.xmlEscaped(label))</text>",
        ]
    }

    /// An arrow pointing up in the top right corner, with 北 under it.
    func northArrow() -> [String] {
        let x = width - padding - arrowColumn / 2
        let top = padding
        return [
            "<path d=\"M\(number(x)),\(number(top)) L\(number(x + 6)),\(number(top + 14)) L\(number(x)),"
                + "\(number(top + 10)) L\(number(x - 6)),\(number(top + 14)) Z\" fill=\"#202124\"/>",
            "<text x=\"\(number(x))\" y=\"\(number(top + 28))\" text-anchor=\"middle\" font-family=\"sans-serif\" "
                + "font-size=\"12\" fill=\"#202124\">\(Geofence.xmlEscaped("北"))</text>",
        ]
    }

    /// The largest 1, 2 or 5 × 10ⁿ metres not above `limit` (at least 1 m).
    static func roundLength(notExceeding limit: Double) -> Double {
        guard limit.isFinite, limit >= 1 else { return 1 }
        let magnitude = pow(10, floor(log10(limit)))
        for step in [5.0, 2.0] where step * magnitude <= limit {
            return step * magnitude
        }
        return magnitude
    }

    /// Pixel coordinates with one decimal at most: enough for a drawing, and short.
    func number(_ value: Double) -> String {
        Geofence.plain(value, decimals: 1)
    }
}
