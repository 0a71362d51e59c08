import BurnwatchConfig
import BurnwatchCore

/// Sloth (`prometheus/v1`, the CRD) and OpenSLO files: any text is specs or a positioned error.
enum SLOImportFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let text = fuzzText(data)
        do {
            _ = try SLOFileImporter.read(text, file: "fuzz-slo.yaml")
        } catch let error as BurnwatchError {
            checkYAMLPosition(error, text)
        } catch {
            fatalError("SLO import threw a non-BurnwatchError: \(error)")
        }
    }
}
