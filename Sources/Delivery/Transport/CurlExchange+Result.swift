import CCurl
import HTTPTypes

extension CurlExchange {
    /// The response, or the classified failure, once libcurl has finished the transfer.
    func result(for code: CURLcode) -> Result<InboundResponse, DeliveryError> {
        var newConnections = 0
        _ = rabt_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &newConnections)
        if code == CURLE_OK, let invalidFieldName {
            return .failure(DeliveryError(code: .protocolError, message: "the response has a header field named \(invalidFieldName), which is not a field name"))
        }
        if code == CURLE_OK {
            var status = 0
            _ = rabt_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            var totalMicroseconds: curl_off_t = 0
            _ = rabt_easy_getinfo_off(easy, CURLINFO_TOTAL_TIME_T, &totalMicroseconds)
            let metrics = TransferMetrics(newConnections: newConnections, totalTime: .microseconds(totalMicroseconds))
            return .success(InboundResponse(status: status, headers: responseHeaders, body: responseBody, metrics: metrics))
        }
        var pretransferMicroseconds: curl_off_t = 0
        _ = rabt_easy_getinfo_off(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransferMicroseconds)
        let failure = CurlFailure(
            curlCode: Int(code.rawValue),
            text: errorText.isEmpty ? String(cString: curl_easy_strerror(code)) : errorText,
            requestStarted: pretransferMicroseconds > 0,
            freshConnection: newConnections > 0,
            receivedResponseBytes: headerBytes > 0,
            usesClientCertificate: usesClientCertificate,
            exceededMaxSize: exceededMaxSize,
            refusedDestinations: refusedDestinations
        )
        return .failure(failure.classified())
    }
}
