import Foundation

/// An event as stored in the log: its sequence number (the RFC 9162 leaf index) and time added.
public struct AuditEntry: Sendable, Hashable {
    /// Position in the log, starting at 0; equals the entry's Merkle leaf index.
    public var sequence: Int
    /// When the log recorded the entry, whole milliseconds since the Unix epoch (UTC).
    public var timeMilliseconds: Int64
    /// What was recorded.
    public var event: AuditEvent

    /// Creates an entry; `time` is rounded to the millisecond, the precision of the canonical form.
    public init(sequence: Int, time: Date, event: AuditEvent) {
        self.init(sequence: sequence, timeMilliseconds: Timestamp.milliseconds(of: time), event: event)
    }

    /// Creates an entry from milliseconds since the epoch.
    public init(sequence: Int, timeMilliseconds: Int64, event: AuditEvent) {
        self.sequence = sequence
        self.timeMilliseconds = timeMilliseconds
        self.event = event
    }

    /// When the log recorded the entry.
    public var time: Date { Timestamp.date(milliseconds: timeMilliseconds) }
}
