"""The differential fidelity suite: the same requests to real TDLib 1.8.66 and to the simulator library.

    python3 Tests/Differential/differential.py REAL_LIBTDJSON SIMULATOR_LIBRARY SCHEMA

Each library runs tdjson_phases.py in a process of its own. Every answer is compared (its @type, or an
error's code and message), and so are the authorization states of each phase. An answer that differs is
either listed under a reason below or fails the suite:

- "not simulated": the simulator says it does not support the method; listed by name, each method with
  the reason in NOT_SIMULATED_REASONS.
- "needs Telegram": real TDLib, offline, could not answer without Telegram's servers (the close aborted
  it with 500 "Request aborted"); the simulator answers as the servers would, or does not support it.

Prints one line per difference, the counts per phase, and `differential: N agree, ... D differ`.
"""

import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Why each method the simulator leaves to real TDLib is not simulated; printed with the list.
NOT_SIMULATED_REASONS = {
    "getTextEntities": "TDLib's entity finder (URLs with its top-level domain list, Unicode hashtag rules, "
    "bank card and phone checks) is not reimplemented yet",
    "parseMarkdown": "needs fix_formatted_text and TDLib's Markdown v3, not reimplemented yet",
    "getMarkdownText": "needs fix_formatted_text and TDLib's Markdown v3, not reimplemented yet",
    "searchQuote": "needs fix_formatted_text and TDLib's entity checks, not reimplemented yet",
    "searchStringsByPrefix": "needs TDLib's Hints index and its Unicode search normalization",
    "cleanFileName": "needs TDLib's Unicode tables (simple categories, prepare_search_character)",
    "getFileMimeType": "needs TDLib's MIME type table (tdutils/generate/mime_types.txt)",
    "getFileExtension": "needs TDLib's MIME type table (tdutils/generate/mime_types.txt)",
    "getPhoneNumberInfoSync": "needs TDLib's built-in country and phone number data",
    "getLanguagePackString": "reads a language pack database the simulator does not have",
}
# Pre-authentication methods that real TDLib answers from its own data or settings offline.
for _method in ("getCountries", "getCountryCode", "getPhoneNumberInfo"):
    NOT_SIMULATED_REASONS[_method] = "answered from TDLib's built-in country data, not reimplemented"
for _method in ("editProxy", "enableProxy", "getProxies", "pingProxy", "removeProxy"):
    NOT_SIMULATED_REASONS[_method] = "TDLib's proxy list; only addProxy and disableProxy are simulated"
for _method in ("addCustomServerLanguagePack", "deleteLanguagePack", "editCustomLanguagePackInfo",
                "getLanguagePackInfo", "getLanguagePackStrings", "getLocalizationTargetInfo",
                "setCustomLanguagePack", "setCustomLanguagePackString", "synchronizeLanguagePack"):
    NOT_SIMULATED_REASONS[_method] = "TDLib's language pack database and its checks, not reimplemented"
for _method in ("addNetworkStatistics", "getNetworkStatistics", "resetNetworkStatistics", "setNetworkType",
                "getStorageStatistics", "getStorageStatisticsFast"):
    NOT_SIMULATED_REASONS[_method] = "TDLib's network and storage accounting, not reimplemented"
for _method in ("getInternalLink", "getInternalLinkType", "getDeepLinkInfo", "getApplicationConfig",
                "processPushNotification", "saveApplicationLogEvent", "setApplicationVerificationToken"):
    NOT_SIMULATED_REASONS[_method] = "TDLib's link parser or application state, not reimplemented"
NOT_SIMULATED = "error 400 The simulator does not support the method "
ABORTED = "error 500 Request aborted"


# Real TDLib 1.8.66 sometimes aborts while a client closes with network requests still queued (the phase at
# authorizationStateWaitPhoneNumber sends about 900 of them, then `close`): NetQueryCreator's pool is
# destroyed while some queries are still alive, and its check fails. It depends on thread timing (seen once
# in many runs, on a busy machine), so the transcript of real TDLib is taken again, at most twice, for that
# abort only; any other failure of either library fails the suite at once.
TDLIB_CLOSE_RACE = "ObjectPool.h"
ATTEMPTS_AFTER_CLOSE_RACE = 3


def transcript(library, schema, retry_close_race=False):
    for attempt in range(1, ATTEMPTS_AFTER_CLOSE_RACE + 1):
        result = subprocess.run(
            [sys.executable, os.path.join(HERE, "tdjson_phases.py"), library, schema],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode == 0 and result.stdout.strip():
            return json.loads(result.stdout)
        aborted_in_close_race = result.returncode == -6 and TDLIB_CLOSE_RACE in result.stderr
        if retry_close_race and aborted_in_close_race and attempt < ATTEMPTS_AFTER_CLOSE_RACE:
            sys.stderr.write(
                "differential: %s aborted in its close race (attempt %d, status -6, %s); running it again\n"
                % (library, attempt, TDLIB_CLOSE_RACE)
            )
            continue
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit("differential: %s ended with status %d" % (library, result.returncode))


def classify(key, real, simulated):
    if real == simulated:
        return "agree"
    if simulated.startswith(NOT_SIMULATED):
        return "not simulated"
    if real == ABORTED and not key.startswith(("after-close", "during-close", "before-parameters")):
        return "needs Telegram"
    return "differ"


def main(real_library, simulator_library, schema):
    real = transcript(real_library, schema, retry_close_race=True)
    simulated = transcript(simulator_library, schema)
    counts = collections.Counter()
    by_phase = collections.defaultdict(collections.Counter)
    listed = collections.defaultdict(list)
    differences = []
    for key in sorted(real["answers"]):
        expected = real["answers"][key]
        got = simulated["answers"].get(key, "not sent")
        verdict = classify(key, expected, got)
        counts[verdict] += 1
        by_phase[key.split(" ")[0]][verdict] += 1
        if verdict == "differ":
            differences.append("  %s\n      real TDLib: %s\n      simulator:  %s" % (key, expected, got))
        elif verdict != "agree":
            listed[verdict].append(key)
    for phase, states in sorted(real["states"].items()):
        got = simulated["states"].get(phase)
        verdict = "agree" if got == states else "differ"
        counts[verdict] += 1
        by_phase["states"][verdict] += 1
        if verdict == "differ":
            differences.append("  states of %s\n      real TDLib: %s\n      simulator:  %s" % (phase, states, got))

    for reason, keys in sorted(listed.items()):
        print("%s (%d):" % (reason, len(keys)))
        for line in wrap(", ".join(keys)):
            print("    " + line)
        if reason == "not simulated":
            methods = sorted({key.split(" ")[-1] for key in keys})
            for method in methods:
                print("    %s: %s" % (method, NOT_SIMULATED_REASONS.get(method, "no reason listed")))
    if differences:
        print("differences (%d):" % len(differences))
        print("\n".join(differences))
    for phase, phase_counts in sorted(by_phase.items()):
        print("  %-18s %s" % (phase, ", ".join("%s %d" % item for item in sorted(phase_counts.items()))))
    print(
        "differential: %d agree, %d not simulated, %d need Telegram, %d differ"
        % (counts["agree"], counts["not simulated"], counts["needs Telegram"], counts["differ"])
    )
    return 1 if counts["differ"] else 0


def wrap(text, width=110):
    line = ""
    for word in text.split(" "):
        if len(line) + len(word) + 1 > width:
            yield line
            line = word
        else:
            line = (line + " " + word).strip()
    if line:
        yield line


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
