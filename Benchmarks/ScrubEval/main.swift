// scrub-eval: runs the default scrubber over a JSON-lines evaluation set (one `{"id", "text"}`
// object per line on stdin) and writes, per line, the byte ranges it would replace:
// `{"id": 7, "spans": [[12, 28, "PHONE"]]}`. scripts/pii_eval/run.sh scores them.
import Foundation
import SwitchyardScrub

let scrubber = try Scrubber(ScrubberSpec())
var output = ""
while let line = readLine(strippingNewline: true) {
    guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let id = object["id"] as? Int, let text = object["text"] as? String else { continue }
    let spans = try scrubber.findings(in: text).map { [$0.range.lowerBound, $0.range.upperBound, $0.label] as [Any] }
    let data = try JSONSerialization.data(withJSONObject: ["id": id, "spans": spans])
    output += String(decoding: data, as: UTF8.self) + "\n"
}
FileHandle.standardOutput.write(Data(output.utf8))
