// A Relay component's data needs: a profile card that can refetch itself by its global id.
declare function graphql(strings: TemplateStringsArray): unknown;

export const userProfileFragment = graphql`
  fragment UserProfile_user on User @refetchable(queryName: "UserProfileRefetchQuery") {
    id
    username
    displayName
    followerCount
    likeCount
    avatar {
      url
    }
  }
`;
