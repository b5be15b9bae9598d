/// How schema names become Swift names. The rule is documented in the generated module's
/// `NamingRules` article; keep the two in step.
enum Naming {
    /// `authorizationStateWaitPhoneNumber` → `AuthorizationStateWaitPhoneNumber`; a name that is
    /// also a type of the Swift standard library or Foundation gets the `TD` prefix (`Date` → `TDDate`),
    /// and td_api's `error` object becomes `TDErrorObject` (see ``renamedTypeNames``).
    static func typeName(_ schemaName: String) -> String {
        let name = upperFirst(schemaName)
        if let renamed = renamedTypeNames[name] { return renamed }
        return reservedTypeNames.contains(name) ? "TD" + name : name
    }

    /// Names that would be confused with a type of this package: `TDError` would read as the error that
    /// calls throw (`TDLibError`), while td_api's `error` is only data, such as the `error` field of
    /// `updateMessageSendFailed`.
    static let renamedTypeNames = ["Error": "TDErrorObject"]

    /// `first_name` → `firstName`; Swift keywords are escaped with backticks where declared or used.
    static func fieldName(_ schemaName: String) -> String {
        var result = ""
        var upperNext = false
        for character in schemaName {
            if character == "_" {
                upperNext = !result.isEmpty
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The name of the enum case for constructor `constructor` of class `className`: the constructor
    /// name without the longest run of the class name's leading words that it starts with, first
    /// letter lowercased: `authorizationStateWaitPhoneNumber` of `AuthorizationState` → `waitPhoneNumber`,
    /// `messageText` of `MessageContent` → `text`. The full constructor name is kept when no such run
    /// matches, or when what is left would start with a digit or be `unknown`.
    static func caseName(constructor: String, className: String) -> String {
        var words: [String] = []
        for character in className {
            if character.isUppercase || words.isEmpty {
                words.append(String(character))
            } else {
                words[words.count - 1].append(character)
            }
        }
        for count in stride(from: words.count, through: 1, by: -1) {
            let prefix = lowerFirst(words.prefix(count).joined())
            guard constructor.hasPrefix(prefix) else { continue }
            let rest = constructor.dropFirst(prefix.count)
            guard let first = rest.first, first.isUppercase else { continue }
            let name = lowerFirst(String(rest))
            return name == "unknown" ? constructor : name
        }
        return constructor
    }

    /// `name` with backticks when it is a Swift keyword.
    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// The page of TDLib's documentation for a constructor, function or class:
    /// Doxygen writes each capital letter as `_` and the lowercase letter.
    static func documentationURL(_ schemaName: String) -> String {
        var page = ""
        for character in schemaName {
            if character.isUppercase {
                page += "_" + character.lowercased()
            } else {
                page.append(character)
            }
        }
        return "https://core.telegram.org/tdlib/docs/classtd_1_1td__api_1_1\(page).html"
    }

    static func upperFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    /// Words that Swift does not accept as plain identifiers in declarations.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer",
        "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where",
        "while", "as", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "Any", "Type",
        "Protocol", "some", "any", "consume", "copy", "borrowing", "consuming",
    ]

    /// Public top-level type names of the Swift standard library (Swift, _Concurrency, Synchronization,
    /// Observation, _StringProcessing), Dispatch and Foundation (Foundation, FoundationEssentials,
    /// FoundationInternationalization, FoundationNetworking), as listed by their symbol graphs
    /// (Swift 6.3, Linux), plus this module's own runtime names.
    static let reservedTypeNames: Set<String> = [
        "Actor", "AdditiveArithmetic", "AffineTransform", "AlignmentOptions", "AnyActor",
        "AnyBidirectionalCollection", "AnyClass", "AnyCollection", "AnyHashable", "AnyIndex",
        "AnyIterator", "AnyKeyPath", "AnyObject", "AnyRandomAccessCollection", "AnyRegexOutput",
        "AnySequence", "Array", "ArrayLiteralConvertible", "ArraySlice", "AsyncCompactMapSequence",
        "AsyncDropFirstSequence", "AsyncDropWhileSequence", "AsyncFilterSequence",
        "AsyncFlatMapSequence", "AsyncIteratorProtocol", "AsyncMapSequence", "AsyncPrefixSequence",
        "AsyncPrefixWhileSequence", "AsyncSequence", "AsyncStream",
        "AsyncThrowingCompactMapSequence", "AsyncThrowingDropWhileSequence",
        "AsyncThrowingFilterSequence", "AsyncThrowingFlatMapSequence", "AsyncThrowingMapSequence",
        "AsyncThrowingPrefixWhileSequence", "AsyncThrowingStream", "Atomic", "AtomicLazyReference",
        "AtomicLoadOrdering", "AtomicOptionalRepresentable", "AtomicRepresentable",
        "AtomicStoreOrdering", "AtomicUpdateOrdering", "AttributeContainer",
        "AttributeDynamicLookup", "AttributeScope", "AttributeScopeCodableConfiguration",
        "AttributeScopes", "AttributedString", "AttributedStringAttributeMutation",
        "AttributedStringKey", "AttributedStringProtocol", "AttributedSubstring",
        "BidirectionalCollection", "BidirectionalIndexable", "BidirectionalSlice",
        "BinaryFloatingPoint", "BinaryInteger", "BitwiseCopyable", "BlockOperation", "Bool",
        "BooleanLiteralConvertible", "BooleanLiteralType", "Bundle", "ByteCountFormatStyle",
        "ByteCountFormatter", "CBool", "CChar", "CChar16", "CChar32", "CChar8", "CDouble", "CFloat",
        "CFloat16", "CGFloat", "CGPoint", "CGRect", "CGRectEdge", "CGSize", "CInt", "CLong",
        "CLongDouble", "CLongLong", "CShort", "CSignedChar", "CUnsignedChar", "CUnsignedInt",
        "CUnsignedLong", "CUnsignedLongLong", "CUnsignedShort", "CVaListPointer", "CVarArg",
        "CWideChar", "CachedURLResponse", "Calendar", "CancellationError", "CaseIterable",
        "Character", "CharacterSet", "CheckedContinuation", "Clock", "ClosedRange",
        "ClosedRangeIndex", "CocoaError", "Codable", "CodableAttributedStringKey",
        "CodableConfiguration", "CodableWithConfiguration", "CodingKey", "CodingKeyRepresentable",
        "CodingUserInfoKey", "Collection", "CollectionDifference", "CollectionOfOne", "CommandLine",
        "Comparable", "ComparableComparator", "Comparator", "ComparisonResult", "ConcurrentValue",
        "ContiguousArray", "ContiguousBytes", "ContinuousClock", "Copyable", "CountableClosedRange",
        "CountablePartialRangeFrom", "CountableRange", "CurrencyFormatStyleConfiguration",
        "CustomConsumingRegexComponent", "CustomDebugStringConvertible", "CustomLeafReflectable",
        "CustomNSError", "CustomPlaygroundDisplayConvertible", "CustomPlaygroundQuickLookable",
        "CustomReflectable", "CustomStringConvertible", "Data", "DataProtocol", "Date",
        "DateComponents", "DateFormatter", "DateInterval", "DateIntervalFormatter", "Decimal",
        "Decodable", "DecodableAttributedStringKey", "DecodableWithConfiguration", "Decoder",
        "DecodingConfigurationProviding", "DecodingError", "DefaultBidirectionalIndices",
        "DefaultIndices", "DefaultRandomAccessIndices", "DefaultStringInterpolation",
        "DescriptiveNumberFormatConfiguration", "Dictionary", "DictionaryIndex",
        "DictionaryIterator", "DictionaryLiteral", "DictionaryLiteralConvertible", "Dimension",
        "DiscardingTaskGroup", "DiscontiguousAttributedSubstring", "DiscontiguousSlice",
        "DiscreteFormatStyle", "DispatchData", "DispatchDataIterator", "DispatchGroup",
        "DispatchIO", "DispatchObject", "DispatchPredicate", "DispatchQoS", "DispatchQueue",
        "DispatchSemaphore", "DispatchSource", "DispatchSourceHandler", "DispatchSourceProtocol",
        "DispatchSourceRead", "DispatchSourceSignal", "DispatchSourceTimer",
        "DispatchSourceUserDataAdd", "DispatchSourceUserDataOr", "DispatchSourceUserDataReplace",
        "DispatchSourceWrite", "DispatchSpecificKey", "DispatchTime", "DispatchTimeInterval",
        "DispatchTimeoutResult", "DispatchWallTime", "DispatchWorkItem", "DispatchWorkItemFlags",
        "Double", "DropFirstSequence", "DropWhileSequence", "Duration", "DurationProtocol",
        "EmptyCollection", "EmptyIterator", "Encodable", "EncodableAttributedStringKey",
        "EncodableWithConfiguration", "Encoder", "EncodingConfigurationProviding", "EncodingError",
        "EnergyFormatter", "EnumeratedIterator", "EnumeratedSequence", "Equatable", "Error",
        "Escapable", "Executor", "ExecutorJob", "ExpressibleByArrayLiteral",
        "ExpressibleByBooleanLiteral", "ExpressibleByDictionaryLiteral",
        "ExpressibleByExtendedGraphemeClusterLiteral", "ExpressibleByFloatLiteral",
        "ExpressibleByIntegerLiteral", "ExpressibleByNilLiteral",
        "ExpressibleByStringInterpolation", "ExpressibleByStringLiteral",
        "ExpressibleByUnicodeScalarLiteral", "Expression",
        "ExtendedGraphemeClusterLiteralConvertible", "ExtendedGraphemeClusterType",
        "FileAttributeKey", "FileAttributeType", "FileHandle", "FileManager", "FileManagerDelegate",
        "FileProtectionType", "FixedWidthInteger", "FlattenBidirectionalCollection",
        "FlattenBidirectionalCollectionIndex", "FlattenCollection", "FlattenCollectionIndex",
        "FlattenSequence", "Float", "Float16", "Float32", "Float64", "Float80",
        "FloatLiteralConvertible", "FloatLiteralType", "FloatingPoint",
        "FloatingPointClassification", "FloatingPointFormatStyle", "FloatingPointParseStrategy",
        "FloatingPointRoundingRule", "FloatingPointSign", "FormatStyle",
        "FormatStyleCapitalizationContext", "Formatter", "GlobalActor", "HTTPCookie",
        "HTTPCookiePropertyKey", "HTTPCookieStorage", "HTTPURLResponse", "Hashable", "Hasher",
        "Host", "ISO8601DateFormatter", "Identifiable", "IndexPath", "IndexSet", "Indexable",
        "IndexableBase", "IndexingIterator", "InflectionRule", "InlineArray", "InputStream",
        "InstantProtocol", "Int", "Int128", "Int16", "Int32", "Int64", "Int8", "IntegerFormatStyle",
        "IntegerLiteralConvertible", "IntegerLiteralType", "IntegerParseStrategy",
        "IteratorOverOne", "IteratorProtocol", "IteratorSequence", "JSONDecoder", "JSONEncoder",
        "JSONSerialization", "Job", "JobPriority", "JoinedIterator", "JoinedSequence", "KeyPath",
        "KeyPathComparator", "KeyValuePairs", "KeyedDecodingContainer",
        "KeyedDecodingContainerProtocol", "KeyedEncodingContainer",
        "KeyedEncodingContainerProtocol", "LazyBidirectionalCollection", "LazyCollection",
        "LazyCollectionProtocol", "LazyDropWhileBidirectionalCollection", "LazyDropWhileCollection",
        "LazyDropWhileIndex", "LazyDropWhileIterator", "LazyDropWhileSequence",
        "LazyFilterBidirectionalCollection", "LazyFilterCollection", "LazyFilterIndex",
        "LazyFilterIterator", "LazyFilterSequence", "LazyMapBidirectionalCollection",
        "LazyMapCollection", "LazyMapIterator", "LazyMapRandomAccessCollection", "LazyMapSequence",
        "LazyPrefixWhileBidirectionalCollection", "LazyPrefixWhileCollection",
        "LazyPrefixWhileIndex", "LazyPrefixWhileIterator", "LazyPrefixWhileSequence",
        "LazyRandomAccessCollection", "LazySequence", "LazySequenceProtocol", "LengthFormatter",
        "ListFormatStyle", "Locale", "LocalizedError", "LosslessStringConvertible", "MainActor",
        "ManagedBuffer", "ManagedBufferPointer", "MarkdownDecodableAttributedStringKey",
        "MassFormatter", "Measurement", "MemoryLayout", "Mirror", "MirrorPath", "Morphology",
        "MutableBidirectionalSlice", "MutableCollection", "MutableDataProtocol", "MutableIndexable",
        "MutableRandomAccessSlice", "MutableRangeReplaceableBidirectionalSlice",
        "MutableRangeReplaceableRandomAccessSlice", "MutableRangeReplaceableSlice",
        "MutableRawSpan", "MutableSlice", "MutableSpan", "Mutex", "NSAffineTransform",
        "NSAffineTransformStruct", "NSArray", "NSAttributedString", "NSBinarySearchingOptions",
        "NSCache", "NSCacheDelegate", "NSCalendar", "NSCharacterSet", "NSCoder", "NSCoding",
        "NSComparisonPredicate", "NSCompoundPredicate", "NSCondition", "NSConditionLock",
        "NSCopying", "NSCountedSet", "NSData", "NSDate", "NSDateComponents", "NSDateInterval",
        "NSDecimalNumber", "NSDecimalNumberBehaviors", "NSDecimalNumberHandler", "NSDictionary",
        "NSEdgeInsets", "NSEnumerationOptions", "NSEnumerator", "NSError", "NSErrorDomain",
        "NSExceptionName", "NSExpression", "NSIndexPath", "NSIndexSet", "NSIndexSetIterator",
        "NSKeyedArchiver", "NSKeyedArchiverDelegate", "NSKeyedUnarchiver",
        "NSKeyedUnarchiverDelegate", "NSLocale", "NSLock", "NSLocking", "NSMeasurement",
        "NSMutableArray", "NSMutableAttributedString", "NSMutableCharacterSet", "NSMutableCopying",
        "NSMutableData", "NSMutableDictionary", "NSMutableIndexSet", "NSMutableOrderedSet",
        "NSMutableSet", "NSMutableString", "NSMutableURLRequest", "NSNotification", "NSNull",
        "NSNumber", "NSObject", "NSObjectProtocol", "NSOrderedSet", "NSOrthography",
        "NSPersonNameComponents", "NSPoint", "NSPointArray", "NSPointPointer", "NSPredicate",
        "NSRange", "NSRangePointer", "NSRect", "NSRectArray", "NSRectEdge", "NSRectPointer",
        "NSRecursiveLock", "NSRegularExpression", "NSSecureCoding", "NSSet", "NSSize",
        "NSSizeArray", "NSSizePointer", "NSSortDescriptor", "NSSortOptions", "NSString",
        "NSTextCheckingKey", "NSTextCheckingResult", "NSTimeZone", "NSURL", "NSURLComponents",
        "NSURLQueryItem", "NSURLRequest", "NSUUID", "NSValue", "NSZone", "Never",
        "NilLiteralConvertible", "Notification", "NotificationCenter", "NotificationQueue",
        "NumberFormatStyleConfiguration", "NumberFormatter", "Numeric", "ObjCBool",
        "ObjectIdentifier", "Observable", "ObservationRegistrar", "Observations", "OpaquePointer",
        "OperatingSystemVersion", "Operation", "OperationQueue", "OptionSet", "Optional",
        "OutputRawSpan", "OutputSpan", "OutputStream", "POSIXError", "ParseStrategy",
        "ParseableFormatStyle", "PartialAsyncTask", "PartialKeyPath", "PartialRangeFrom",
        "PartialRangeThrough", "PartialRangeUpTo", "PersonNameComponents",
        "PersonNameComponentsFormatter", "Pipe", "PlaygroundQuickLook", "Port", "PortDelegate",
        "PortMessage", "Predicate", "PredicateBindings", "PredicateError", "PredicateExpression",
        "PredicateExpressions", "PrefixSequence", "Process", "ProcessInfo", "Progress",
        "ProgressKind", "ProgressReporting", "ProgressUserInfoKey", "PropertyListDecoder",
        "PropertyListEncoder", "PropertyListSerialization", "QualityOfService",
        "RandomAccessCollection", "RandomAccessIndexable", "RandomAccessSlice",
        "RandomNumberGenerator", "Range", "RangeExpression", "RangeReplaceableBidirectionalSlice",
        "RangeReplaceableCollection", "RangeReplaceableIndexable",
        "RangeReplaceableRandomAccessSlice", "RangeReplaceableSlice", "RangeSet",
        "RawRepresentable", "RawSpan", "RecoverableError", "ReferenceConvertible",
        "ReferenceWritableKeyPath", "Regex", "RegexComponent", "RegexRepetitionBehavior",
        "RegexSemanticLevel", "RegexWordBoundaryKind", "Repeated", "Result", "ReversedCollection",
        "ReversedIndex", "ReversedRandomAccessCollection", "RunLoop", "SIMD", "SIMD16", "SIMD2",
        "SIMD3", "SIMD32", "SIMD4", "SIMD64", "SIMD8", "SIMDMask", "SIMDScalar", "SIMDStorage",
        "Scanner", "ScopedAttributeContainer", "Sendable", "SendableMetatype", "Sequence",
        "SerialExecutor", "Set", "SetAlgebra", "SetIndex", "SetIterator", "SignedInteger",
        "SignedNumeric", "SingleValueDecodingContainer", "SingleValueEncodingContainer", "Slice",
        "SocketNativeHandle", "SocketPort", "SortComparator", "SortDescriptor", "SortOrder", "Span",
        "StandardPredicateExpression", "StaticBigInt", "StaticString", "Stream", "StreamDelegate",
        "StreamNetworkServiceTypeValue", "StreamSOCKSProxyConfiguration", "StreamSOCKSProxyVersion",
        "StreamSocketSecurityLevel", "StrideThrough", "StrideThroughIterator", "StrideTo",
        "StrideToIterator", "Strideable", "String", "StringInterpolationConvertible",
        "StringInterpolationProtocol", "StringLiteralConvertible", "StringLiteralType",
        "StringProtocol", "StringStyle", "StringTransform", "Substring", "SuspendingClock",
        "SystemRandomNumberGenerator", "Task", "TaskExecutor", "TaskGroup", "TaskLocal",
        "TaskPriority", "TextOutputStream", "TextOutputStreamable", "Thread",
        "ThrowingDiscardingTaskGroup", "ThrowingTaskGroup", "TimeInterval", "TimeZone", "Timer",
        "UInt", "UInt128", "UInt16", "UInt32", "UInt64", "UInt8", "URL",
        "URLAuthenticationChallenge", "URLAuthenticationChallengeSender", "URLCache",
        "URLComponents", "URLCredential", "URLCredentialStorage", "URLError", "URLFileResourceType",
        "URLProtectionSpace", "URLProtocol", "URLProtocolClient", "URLQueryItem", "URLRequest",
        "URLResourceKey", "URLResourceValues", "URLResponse", "URLSession",
        "URLSessionConfiguration", "URLSessionDataDelegate", "URLSessionDataTask",
        "URLSessionDelegate", "URLSessionDownloadDelegate", "URLSessionDownloadTask",
        "URLSessionStreamDelegate", "URLSessionStreamTask", "URLSessionTask",
        "URLSessionTaskDelegate", "URLSessionTaskMetrics", "URLSessionTaskTransactionMetrics",
        "URLSessionUploadTask", "URLSessionWebSocketDelegate", "URLSessionWebSocketTask", "UTF16",
        "UTF32", "UTF8", "UTF8Span", "UUID", "UnboundedRange", "UnboundedRange_",
        "UnfoldFirstSequence", "UnfoldSequence", "Unicode", "UnicodeCodec", "UnicodeDecodingResult",
        "UnicodeScalar", "UnicodeScalarLiteralConvertible", "UnicodeScalarType", "Unit",
        "UnitAcceleration", "UnitAngle", "UnitArea", "UnitConcentrationMass", "UnitConverter",
        "UnitConverterLinear", "UnitDispersion", "UnitDuration", "UnitElectricCharge",
        "UnitElectricCurrent", "UnitElectricPotentialDifference", "UnitElectricResistance",
        "UnitEnergy", "UnitFrequency", "UnitFuelEfficiency", "UnitIlluminance",
        "UnitInformationStorage", "UnitLength", "UnitMass", "UnitPower", "UnitPressure",
        "UnitSpeed", "UnitTemperature", "UnitVolume", "UnkeyedDecodingContainer",
        "UnkeyedEncodingContainer", "Unmanaged", "UnownedJob", "UnownedSerialExecutor",
        "UnownedTaskExecutor", "UnsafeBufferPointer", "UnsafeBufferPointerIterator",
        "UnsafeConcurrentValue", "UnsafeContinuation", "UnsafeCurrentTask",
        "UnsafeMutableBufferPointer", "UnsafeMutablePointer", "UnsafeMutableRawBufferPointer",
        "UnsafeMutableRawBufferPointerIterator", "UnsafeMutableRawPointer", "UnsafePointer",
        "UnsafeRawBufferPointer", "UnsafeRawBufferPointerIterator", "UnsafeRawPointer",
        "UnsafeSendable", "UnsafeThrowingContinuation", "UnsignedInteger", "UserDefaults", "Void",
        "WordPair", "WritableKeyPath", "Zip2Iterator", "Zip2Sequence", "tls_ciphersuite_t",
        "tls_protocol_version_t", "unichar", "uuid_string_t", "uuid_t",
        "TDLibAPI", "TDDecodable", "TDEncodable", "TDCodable", "TDTyped", "TDObject", "TDFunction",
        "TDJSONReader", "TDJSONWriter", "TDDecodingError", "TDUnknownObject",
    ]
}
