//! The same flow over REST, JSON-RPC and SOAP with `tco-client`: create, read, update, search.
//! Run: cargo run -p tco-client --example flow (TCO_URL overrides http://127.0.0.1:8080).

use tco_client::{
    Api, ClientError, Credentials, Customer, JsonRpcClient, Reference, RestClient, SearchOptions, SoapClient,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ClientError> {
    let base = std::env::var("TCO_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let credentials = Credentials::new("TCODEMO", "tco-demo-secret");
    let clients: Vec<Box<dyn Api>> = vec![
        Box::new(RestClient::new(&base, credentials.clone())?),
        Box::new(JsonRpcClient::new(&base, credentials.clone())),
        Box::new(SoapClient::new(&base, credentials)),
    ];
    for client in &clients {
        let email = format!("{:?}@example.com", client.protocol()).to_lowercase();
        let customer = Customer {
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            address1: Some("12 St James's Square".into()),
            city: Some("London".into()),
            zip: Some("SW1Y 4JH".into()),
            country_code: Some("GB".into()),
            email: Some(email.clone()),
            ..Customer::default()
        };
        let reference = client.create_customer(&customer).await?;
        println!("{:?}: created customer {reference}", client.protocol());
        let mut stored = client.get_customer(&Reference::Internal(reference)).await?;
        stored.city = Some("Cambridge".into());
        client.update_customer(&stored, false).await?;
        let found = client
            .search_customers(&SearchOptions { email: Some(email), ..SearchOptions::default() })
            .await?;
        println!(
            "{:?}: found {} customer(s), city {:?}",
            client.protocol(),
            found.pagination.count,
            found.items[0].city
        );
    }
    Ok(())
}
