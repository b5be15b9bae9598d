import Foundation
import TDLibAPI

// MARK: Requests

extension TDSimulator {
    var fileSettings: SimulatorScenario.FileSettings { scenario.files ?? SimulatorScenario.FileSettings() }

    /// `getFile`, `downloadFile` and `cancelDownloadFile`.
    func fileRequest(
        _ request: Request, clientID: Int32, session: ClientSession, state: inout SimulatorState, outbox: inout Outbox
    ) throws {
        switch request.type {
        case "getFile":
            let id = try request.decode(GetFile.self).fileId
            outbox.answer(try state.world.files.fileObject(id, clientID: clientID))
        case "downloadFile":
            try startDownload(
                try request.decode(DownloadFile.self), clientID: clientID, session: session, state: &state,
                outbox: &outbox)
        case "cancelDownloadFile":
            let cancel = try request.decode(CancelDownloadFile.self)
            let key = LocalKey(clientID: clientID, fileID: cancel.fileId)
            guard state.world.files.records[cancel.fileId] != nil else {
                throw SimulatedError(code: 400, message: "Invalid file identifier")
            }
            if var copy = state.world.files.local[key], copy.isActive,
                !cancel.onlyIfPending || copy.downloadedSize == 0
            {
                // The part already downloaded stays in temp/ and the next download goes on from it.
                stopDownload(key, copy: &copy, keepPart: true, state: &state, outbox: &outbox)
            }
            outbox.answer(Ok())
        default:
            throw SimulatedError(code: 400, message: "The simulator does not support the method \(request.type)")
        }
    }

    private func startDownload(
        _ download: DownloadFile, clientID: Int32, session: ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        guard (1...32).contains(download.priority) else {
            throw SimulatedError(code: 400, message: "Download priority must be in [1;32] range")
        }
        guard download.offset >= 0 else {
            throw SimulatedError(code: 400, message: "Download offset must be non-negative")
        }
        guard download.limit >= 0 else {
            throw SimulatedError(code: 400, message: "Download limit must be non-negative")
        }
        guard state.world.files.records[download.fileId] != nil else {
            throw SimulatedError(code: 400, message: "Invalid file identifier")
        }
        let key = LocalKey(clientID: clientID, fileID: download.fileId)
        var copy = state.world.files.local[key] ?? LocalCopy()
        if copy.isCompleted, !FileManager.default.fileExists(atPath: copy.path) {
            copy = LocalCopy(token: copy.token)  // deleted since: TDLib downloads it again
        }
        if copy.isCompleted {
            state.world.files.local[key] = copy
            outbox.answer(try state.world.files.fileObject(download.fileId, clientID: clientID))
            return
        }
        if download.synchronous { copy.waiting.append(outbox.extra) }
        let starting = !copy.isActive
        if starting {
            copy.isActive = true
            copy.token += 1
        }
        state.world.files.local[key] = copy
        if starting {
            outbox.update(
                .file(UpdateFile(file: try state.world.files.fileObject(download.fileId, clientID: clientID))))
            scheduleDownloadTick(key, generation: session.generation, token: copy.token)
        }
        if !download.synchronous {
            outbox.answer(try state.world.files.fileObject(download.fileId, clientID: clientID))
        }
    }

    private func scheduleDownloadTick(_ key: LocalKey, generation: Int, token: Int) {
        schedule(after: fileSettings.interval, clientID: key.clientID, generation: generation) {
            simulator, state, outbox in
            simulator.advanceDownload(key, generation: generation, token: token, state: &state, outbox: &outbox)
        }
    }

    /// One step of a download: the next chunk written to `temp/`, then moved to its folder at the end.
    private func advanceDownload(
        _ key: LocalKey, generation: Int, token: Int, state: inout SimulatorState, outbox: inout Outbox
    ) {
        guard var copy = state.world.files.local[key], copy.isActive, copy.token == token,
            let record = state.world.files.records[key.fileID]
        else { return }
        let directory = state.world.files.directories[key.clientID] ?? "tdlib"
        let part = directory + "/temp/\(key.fileID).part"
        let count = min(fileSettings.downloadChunk, record.size - copy.downloadedSize)
        do {
            let bytes = try state.world.files.read(record, offset: copy.downloadedSize, count: count)
            try SimulatorFiles.append(bytes, to: part, first: copy.downloadedSize == 0)
            copy.downloadedSize += count
            copy.path = part
            if copy.downloadedSize >= record.size {
                copy.path = try SimulatorFiles.place(
                    part, folder: directory + "/" + record.folder, name: record.name, fileID: record.id)
                copy.isActive = false
                copy.isCompleted = true
            }
        } catch {
            try? FileManager.default.removeItem(atPath: part)
            stopDownload(key, copy: &copy, keepPart: false, state: &state, outbox: &outbox)
            return
        }
        let waiting = copy.isCompleted ? copy.waiting : []
        if copy.isCompleted { copy.waiting = [] }
        state.world.files.local[key] = copy
        guard let file = try? state.world.files.fileObject(key.fileID, clientID: key.clientID) else { return }
        outbox.update(.file(UpdateFile(file: file)))
        if copy.isCompleted {
            for extra in waiting {
                outbox.extra = extra
                outbox.answer(file)
            }
            outbox.extra = nil
        } else {
            scheduleDownloadTick(key, generation: generation, token: token)
        }
    }

    /// Ends a download that was cancelled or failed: `updateFile`, and TDLib's error for synchronous requests.
    private func stopDownload(
        _ key: LocalKey, copy: inout LocalCopy, keepPart: Bool, state: inout SimulatorState, outbox: inout Outbox
    ) {
        let waiting = copy.waiting
        copy.waiting = []
        copy.isActive = false
        copy.token += 1
        if !keepPart {
            copy.downloadedSize = 0
            copy.path = ""
        }
        state.world.files.local[key] = copy
        if let file = try? state.world.files.fileObject(key.fileID, clientID: key.clientID) {
            outbox.update(.file(UpdateFile(file: file)))
        }
        let requestExtra = outbox.extra
        for extra in waiting {
            outbox.extra = extra
            outbox.error(400, "File download has failed or was canceled")
        }
        outbox.extra = requestExtra
    }
}
