import Foundation

/// `rabt-fuzz`. Built with libFuzzer (`scripts/fuzz.sh build`: `-sanitize=fuzzer -D FUZZING`) it
/// fuzzes the target `RABT_FUZZ_TARGET` names, taking libFuzzer's arguments. An ordinary build
/// runs `rabt-fuzz TARGET PATH…`: the target once on each file (a directory stands for its
/// files), to replay a corpus or reproduce a finding without the fuzzer.
@main
struct FuzzMain {
    static func main() {
        #if FUZZING
        let name = ProcessInfo.processInfo.environment["RABT_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else { usage("RABT_FUZZ_TARGET=\(names("|")) rabt-fuzz [libFuzzer arguments…]") }
        target.prepare()
        selected = target
        var argc = CommandLine.argc
        var argv = Optional(CommandLine.unsafeArgv)
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        #else
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            usage("rabt-fuzz \(names("|")) FILE_OR_DIRECTORY…")
        }
        target.prepare()
        var count = 0
        for path in arguments.dropFirst() {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("rabt-fuzz: cannot read \(file)\n".utf8))
                    exit(1)
                }
                target.run(Array(data))
                count += 1
            }
        }
        print("\(target.rawValue): \(count) inputs, no crash")
        #endif
    }

    private static func names(_ separator: String) -> String {
        FuzzTarget.allCases.map(\.rawValue).joined(separator: separator)
    }

    private static func usage(_ text: String) -> Never {
        FileHandle.standardError.write(Data("usage: \(text)\n".utf8))
        exit(2)
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}

#if FUZZING
/// The target libFuzzer drives; set once before the driver starts.
nonisolated(unsafe) private var selected = FuzzTarget.json

private func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// libFuzzer's driver, for programs that keep their own `main` (as a Swift executable does).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif
